// Files named in the configuration that do not exist: certificates (`crt`, file or directory),
// `crt-list` and `ca-file` on bind lines, `ca-file` on server lines, and `errorfile` bodies.
// HAProxy fails to start on each of them. Runs only when the host can tell (`fileExists`).
import type { Statement, Word } from '../../ast/nodes.js';
import { codes } from '../../diagnostics/codes.js';
import { optionLines } from '../option-lines.js';
import type { Check, CheckContext } from '../registry.js';
import { statementVisits, type StatementContext } from './util.js';

interface Bases {
  crt?: string;
  ca?: string;
}

function globalBases(ctx: CheckContext): Bases {
  const bases: Bases = {};
  for (const stmt of ctx.model.global.statements) {
    const v = stmt.args[0]?.value;
    if (!v) continue;
    if (stmt.keyword === 'crt-base') bases.crt = v;
    else if (stmt.keyword === 'ca-base') bases.ca = v;
  }
  return bases;
}

function resolve(path: string, base: string | undefined): string {
  if (!base || path.startsWith('/')) return path;
  return base.endsWith('/') ? base + path : `${base}/${path}`;
}

const dynamic = (w: Word): boolean => (w.envRefs?.length ?? 0) > 0 || w.splitFromExpansion === true || w.value.includes('%[');

// Message prefixes, built only when something is reported.
function bindWho(sc: StatementContext, stmt: Statement): string {
  return `'bind ${stmt.args[0]?.value ?? ''}' in section '${sc.section?.kind ?? ''}'`;
}

function serverWho(sc: StatementContext, stmt: Statement): string {
  return stmt.keyword === 'server' ? `'server ${sc.proxy?.name ?? ''}/${stmt.args[0]?.value ?? ''}'` : `'${stmt.keyword}'`;
}

/** `i`: the index of a bind option naming a file (see option-lines.ts). */
function checkBindFile(ctx: CheckContext, sc: StatementContext, stmt: Statement, i: number, bases: Bases, exists: (p: string) => boolean): void {
  const opt = stmt.args[i]!.value;
  const value = stmt.args[i + 1];
  if (!value || dynamic(value)) return;
  if (opt === 'crt') {
    const p = resolve(value.value, bases.crt);
    if (!exists(p)) ctx.report(codes.fileNotFound, sc.file, value.range, `${bindWho(sc, stmt)} : unable to stat SSL certificate from file '${p}' : No such file or directory.`);
  } else if (opt === 'crt-list') {
    const p = resolve(value.value, bases.crt);
    if (!exists(p)) ctx.report(codes.fileNotFound, sc.file, value.range, `${bindWho(sc, stmt)} : 'crt-list' : cannot open file '${p}' : No such file or directory`);
  } else if (opt === 'ca-file' || opt === 'ca-verify-file' || opt === 'crl-file') {
    const p = resolve(value.value, bases.ca);
    if (!exists(p)) ctx.report(codes.fileNotFound, sc.file, value.range, `${bindWho(sc, stmt)} : unable to load ${opt} '${p}' : No such file or directory.`);
  }
}

/** `i`: the index of a server's `ca-file` option (see option-lines.ts). */
function checkServerFile(ctx: CheckContext, sc: StatementContext, stmt: Statement, i: number, bases: Bases, exists: (p: string) => boolean): void {
  const value = stmt.args[i + 1];
  if (!value || dynamic(value)) return;
  const p = resolve(value.value, bases.ca);
  if (!exists(p)) ctx.report(codes.fileNotFound, sc.file, value.range, `${serverWho(sc, stmt)} : Couldn't open the ca-file '${p}' (No such file or directory).`);
}

export const missingFilesCheck: Check = {
  name: 'missing-files',
  run(ctx) {
    const exists = ctx.options.fileExists;
    if (!exists) return;
    const bases = globalBases(ctx);
    // The bind and server lines, in statement order: reported in that order among the errorfiles.
    const lines = optionLines(ctx.model);
    let next = 0;
    const visits = statementVisits(ctx.model);
    for (let n = 0; n < visits.length; n++) {
      const sc = visits[n]!;
      const { stmt, section, keyword } = sc;
      if (!section || sc.hasModifier) continue;
      if (keyword === 'errorfile' && (sc.inProxySection || section.kind === 'http-errors')) {
        const f = stmt.args[1];
        if (f && !dynamic(f) && !exists(f.value)) ctx.report(codes.fileNotFound, sc.file, f.range, `errorfile : error opening file '${f.value}'.`);
        continue;
      }
      const line = lines[next];
      if (line?.visit !== sc) continue;
      next++;
      for (const i of line.fileOptions) {
        if (line.isBind) checkBindFile(ctx, sc, stmt, i, bases, exists);
        else checkServerFile(ctx, sc, stmt, i, bases, exists);
      }
    }
  },
};
