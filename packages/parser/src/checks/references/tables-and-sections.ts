// References to servers, stick-tables and named sections that do not exist.
import type { SymbolKind } from '../../model/types.js';
import { suggest } from '../../catalogue/index.js';
import { codes } from '../../diagnostics/codes.js';
import type { Check } from '../registry.js';
import { refStatement } from './util.js';

const unknownServers: Check = {
  name: 'unknown-servers',
  run(ctx) {
    const refs = ctx.model.symbols.references;
    for (let n = 0; n < refs.length; n++) {
      const ref = refs[n]!;
      if (ref.kind !== 'server' || ref.target || ref.dynamic || !ref.name) continue;
      const stmt = refStatement(ref);
      if (!stmt || !stmt.line.active) continue;
      const px = ref.scope;
      const kw = stmt.keywordWords[0]?.value;
      const guess = px ? suggest(ref.name, px.servers.map((s) => s.name)) : undefined;
      const hint = guess ? ` Did you mean '${guess}'?` : '';
      let message: string;
      if (kw === 'use-server') message = `${px?.kind ?? 'backend'} '${px?.name ?? ''}' : unable to find server '${ref.name}' referenced in a 'use-server' rule.${hint}`;
      else if (kw === 'server' || kw === 'default-server' || kw === 'server-template') {
        message = `'server ${px?.name ?? ''}/${stmt.args[0]?.value ?? ''}' : unable to find required server '${ref.name}' for tracking.${hint}`;
      } else message = `unable to find server '${ref.name}' referenced in a sample fetch argument.${hint}`;
      ctx.report(
        codes.unknownServer, ref.file, ref.range, message,
        guess ? { fixes: [{ title: `Replace with '${guess}'`, edits: [{ file: ref.file, range: ref.range, newText: guess }] }] } : undefined,
      );
    }
  },
};

const unknownTables: Check = {
  name: 'unknown-tables',
  run(ctx) {
    const refs = ctx.model.symbols.references;
    for (let n = 0; n < refs.length; n++) {
      const ref = refs[n]!;
      if (ref.kind !== 'table' || ref.target) continue;
      const stmt = refStatement(ref);
      if (!stmt || !stmt.line.active) continue;
      const px = ref.scope?.name ?? '';
      let action = '';
      if (stmt.type === 'rule' && /^track-sc\d+$/.test(stmt.actionName)) action = stmt.actionName;
      const isStick = stmt.keywordWords[0]?.value === 'stick';
      if (ref.implicit) {
        const message = action
          ? `Proxy '${px}': unable to find table '${px}' referenced by ${action}. This ${ref.scope?.kind ?? 'proxy'} has no stick-table: declare one here, or name one with '${action} <key> table <name>'.`
          : `Proxy '${px}': unable to find stick-table '${px}'. Declare a stick-table in this ${ref.scope?.kind ?? 'proxy'}, or name one with 'table <name>'.`;
        ctx.report(codes.missingStickTable, ref.file, ref.range, message);
        continue;
      }
      if (!ref.name) continue;
      const known = ctx.model.symbols.byName.get('table');
      const guess = known ? suggest(ref.name, known.keys()) : undefined;
      const hint = guess ? ` Did you mean '${guess}'?` : '';
      const message = action
        ? `Proxy '${px}': unable to find table '${ref.name}' referenced by ${action}.${hint}`
        : isStick
          ? `Proxy '${px}': unable to find stick-table '${ref.name}'.${hint}`
          : `unable to find table '${ref.name}' referenced in a sample fetch argument in proxy '${px}'.${hint}`;
      ctx.report(
        codes.unknownTable, ref.file, ref.range, message,
        guess ? { fixes: [{ title: `Replace with '${guess}'`, edits: [{ file: ref.file, range: ref.range, newText: guess }] }] } : undefined,
      );
    }
  },
};

const SECTION_KINDS: ReadonlySet<SymbolKind> = new Set<SymbolKind>(['http-errors', 'cache', 'peers', 'resolvers', 'mailers', 'ring', 'fcgi-app']);

const unknownSections: Check = {
  name: 'unknown-named-sections',
  run(ctx) {
    const refs = ctx.model.symbols.references;
    for (let n = 0; n < refs.length; n++) {
      const ref = refs[n]!;
      if (ref.target || !ref.name) continue;
      // Only these kinds are reported here (unresolved ACLs, e.g. predefined ones, are not).
      if (ref.kind !== 'userlist' && !SECTION_KINDS.has(ref.kind)) continue;
      const stmt = refStatement(ref);
      if (stmt && !stmt.line.active) continue;
      const known = ctx.model.symbols.byName.get(ref.kind);
      const guess = known ? suggest(ref.name, known.keys()) : undefined;
      const hint = guess ? ` Did you mean '${guess}'?` : '';
      const fix = guess ? { fixes: [{ title: `Replace with '${guess}'`, edits: [{ file: ref.file, range: ref.range, newText: guess }] }] } : undefined;
      if (ref.kind === 'userlist') {
        ctx.report(codes.unknownUserlist, ref.file, ref.range, `unable to find userlist '${ref.name}' in proxy '${ref.scope?.name ?? ''}'.${hint}`, fix);
      } else if (SECTION_KINDS.has(ref.kind)) {
        const px = ref.scope;
        let message = `unable to find ${ref.kind} section '${ref.name}'.`;
        if (ref.kind === 'http-errors') message = `proxy '${px?.name ?? ''}': unknown http-errors section '${ref.name}'.`;
        else if (ref.kind === 'cache') message = `${px?.kind ?? 'proxy'} '${px?.name ?? ''}': unable to find the cache '${ref.name}' referenced by the filter 'cache'.`;
        else if (ref.kind === 'ring') {
          // HAProxy resolves it when starting (post_sink_resolve), a step 'haproxy -c' skips.
          const kind = ref.section?.kind ?? 'global';
          const where = kind === 'defaults' || kind === 'log-forward' ? kind : 'proxy';
          const who = kind === 'global' ? 'global log server' : `log server declared in ${where} section '${px?.name ?? ref.section?.name?.value ?? ''}'`;
          message = `${who} uses unknown ring named '${ref.name}': HAProxy 2.6 refuses to start on it, though 'haproxy -c' accepts it. Declare 'ring ${ref.name}' or fix the name.`;
        }
        ctx.report(codes.unknownSection, ref.file, ref.range, `${message}${hint}`, fix);
      }
    }
  },
};

export const tableAndSectionChecks: Check[] = [unknownServers, unknownTables, unknownSections];
