// Backend references: use_backend/default_backend (and backend arguments of fetches) naming no
// backend, and backends nothing can route to (haplo's own advice).
import { suggest } from '../../catalogue/index.js';
import { codes } from '../../diagnostics/codes.js';
import type { Fix } from '../../diagnostics/diagnostic.js';
import type { ProxyModel } from '../../model/types.js';
import type { Check, CheckContext } from '../registry.js';
import { emptyRange, endOfFile, refStatement } from './util.js';

function backendNames(ctx: CheckContext): string[] {
  return ctx.model.proxies.filter((p) => p.capabilities.backend).map((p) => p.name);
}

function createFix(ctx: CheckContext, file: string, name: string): Fix[] {
  const end = endOfFile(ctx.model, file);
  if (!end) return [];
  return [{
    title: `Create backend '${name}' at the end of the file`,
    edits: [{ file, range: emptyRange(end.position), newText: `${end.needsNewline ? '\n' : ''}\nbackend ${name}\n    server ${name}1 127.0.0.1:8080\n` }],
  }];
}

const unknownBackends: Check = {
  name: 'unknown-backends',
  run(ctx) {
    let names: string[] | undefined;
    const refs = ctx.model.symbols.references;
    for (let n = 0; n < refs.length; n++) {
      const ref = refs[n]!;
      if (ref.kind !== 'proxy' || ref.target || ref.dynamic || !ref.name) continue;
      const stmt = refStatement(ref);
      if (!stmt || !stmt.line.active) continue;
      const kw = stmt.keywordWords[0]?.value;
      names ??= backendNames(ctx);
      const guess = suggest(ref.name, names);
      const other = ctx.model.proxies.find((p) => p.name === ref.name);
      const note = other ? ` '${ref.name}' is a ${other.kind}, which has no backend capability.` : guess ? ` Did you mean '${guess}'?` : '';
      const fixes: Fix[] = guess ? [{ title: `Replace with '${guess}'`, edits: [{ file: ref.file, range: ref.range, newText: guess }] }] : [];
      if (kw === 'use_backend' || kw === 'default_backend') {
        const owner = ref.scope?.name ?? '';
        if (!other) fixes.push(...createFix(ctx, ref.file, ref.name));
        ctx.report(codes.unknownBackend, ref.file, ref.range, `Proxy '${owner}': unable to find required ${kw}: '${ref.name}'.${note}`, { fixes });
      } else if (kw === 'server' || kw === 'server-template' || kw === 'default-server') {
        const srv = kw === 'server' ? stmt.args[0]?.value ?? '' : '';
        ctx.report(codes.unknownBackend, ref.file, ref.range, `'server ${ref.scope?.name ?? ''}/${srv}' : unable to find required proxy '${ref.name}' for tracking.${note}`, { fixes });
      } else {
        ctx.report(codes.unknownBackend, ref.file, ref.range, `unable to find backend '${ref.name}' referenced in a sample fetch argument.${note}`, { fixes });
      }
    }
  },
};

const unusedBackends: Check = {
  name: 'unused-backends',
  run(ctx) {
    const { model } = ctx;
    // Only meaningful for a whole configuration with something that routes.
    if (!model.proxies.some((p) => p.capabilities.frontend)) return;
    const reached = new Set<ProxyModel>();
    const tableNames = new Set<string>();
    const refs = model.symbols.references;
    for (let n = 0; n < refs.length; n++) {
      const ref = refs[n]!;
      if (ref.kind === 'proxy') {
        if (ref.dynamic) return; // `use_backend be_%[…]` may reach any backend
        const p = ref.target?.proxy;
        if (p) reached.add(p);
        else if (ref.name) tableNames.add(ref.name);
      } else if (ref.kind === 'table' && !ref.implicit) {
        tableNames.add(ref.name);
        const p = ref.target?.proxy;
        if (p) reached.add(p);
      }
    }
    const seenNames = new Set<string>();
    for (const p of model.proxies) {
      const duplicate = seenNames.has(p.name);
      seenNames.add(p.name);
      if (duplicate) continue; // reported as a duplicate
      if (p.kind !== 'backend' || reached.has(p) || tableNames.has(p.name) || !p.nameWord) continue;
      // A backend with only a stick-table is a table holder.
      if (p.stickTable && p.servers.length === 0) continue;
      ctx.report(
        codes.unusedBackend, p.section.file, p.nameWord.range,
        `backend '${p.name}' is never used: no use_backend or default_backend routes to it.`,
        { unnecessary: true },
      );
    }
  },
};

export const backendChecks: Check[] = [unknownBackends, unusedBackends];
