// Files named in the configuration that do not exist: certificates (`crt`, file or directory),
// `crt-list` and `ca-file` on bind lines, `ca-file` on server lines, and `errorfile` bodies.
// HAProxy fails to start on each of them. Runs only when the host can tell (`fileExists`).
import type { Statement, Word } from '../../ast/nodes.js';
import { getBindOption, getServerOption } from '../../catalogue/index.js';
import { codes } from '../../diagnostics/codes.js';
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

function checkBind(ctx: CheckContext, sc: StatementContext, stmt: Statement, bases: Bases, exists: (p: string) => boolean): void {
  for (let i = 1; i < stmt.args.length; i++) {
    const opt = stmt.args[i]!.value;
    const spec = getBindOption(opt);
    if (!spec) return;
    if (spec.value === 'variable') return;
    if (spec.value === 0) continue;
    const value = stmt.args[++i];
    if (!value || dynamic(value)) continue;
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
}

function checkServer(ctx: CheckContext, sc: StatementContext, stmt: Statement, bases: Bases, exists: (p: string) => boolean): void {
  const start = stmt.keyword === 'server' ? 2 : stmt.keyword === 'server-template' ? 3 : 0;
  for (let i = start; i < stmt.args.length; i++) {
    const opt = stmt.args[i]!.value;
    const spec = getServerOption(opt);
    if (!spec || spec.value === 'variable') return;
    if (spec.value === 0) continue;
    const value = stmt.args[++i];
    if (!value || dynamic(value) || opt !== 'ca-file') continue;
    const p = resolve(value.value, bases.ca);
    if (!exists(p)) ctx.report(codes.fileNotFound, sc.file, value.range, `${serverWho(sc, stmt)} : Couldn't open the ca-file '${p}' (No such file or directory).`);
  }
}

export const missingFilesCheck: Check = {
  name: 'missing-files',
  run(ctx) {
    const exists = ctx.options.fileExists;
    if (!exists) return;
    const bases = globalBases(ctx);
    for (const sc of statementVisits(ctx.model)) {
      const { stmt, section, keyword } = sc;
      if (!section || sc.hasModifier) continue;
      if (keyword === 'errorfile' && (sc.inProxySection || section.kind === 'http-errors')) {
        const f = stmt.args[1];
        if (f && !dynamic(f) && !exists(f.value)) ctx.report(codes.fileNotFound, sc.file, f.range, `errorfile : error opening file '${f.value}'.`);
        continue;
      }
      if (!sc.inProxySection) continue;
      if (keyword === 'bind') checkBind(ctx, sc, stmt, bases, exists);
      else if (keyword === 'server' || keyword === 'default-server' || keyword === 'server-template') checkServer(ctx, sc, stmt, bases, exists);
    }
  },
};
