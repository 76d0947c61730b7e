// Unknown options on `server`, `default-server`, `server-template` and `bind` lines, with a
// "did you mean" (`wieght` → `weight`), in HAProxy's wording. Like HAProxy, stops at the first
// unknown word of a line (what follows it cannot be read reliably).
import type { Statement, Word } from '../../ast/nodes.js';
import { bindKeywords, getBindOption, getServerOption, serverKeywords, suggest } from '../../catalogue/index.js';
import { codes } from '../../diagnostics/codes.js';
import type { Check, CheckContext } from '../registry.js';
import { replaceFix, statementVisits, type StatementContext } from './util.js';

let serverSet: Set<string> | undefined;
let bindSet: Set<string> | undefined;

/** The index of the first option word, or -1 when the line is not a server/bind line. */
function firstOptionIndex(keyword: string): number {
  switch (keyword) {
    case 'bind': return 1;
    case 'server': return 2;
    case 'server-template': return 3;
    case 'default-server': return 0;
    default: return -1;
  }
}

function checkOptions(ctx: CheckContext, sc: StatementContext, stmt: Statement, start: number): void {
  const isBind = sc.keyword === 'bind';
  const candidates = isBind ? (bindSet ??= new Set(bindKeywords)) : (serverSet ??= new Set(serverKeywords));
  if (candidates.size === 0) return;
  const args = stmt.args;
  for (let i = start; i < args.length; i++) {
    const word = args[i]!;
    if (word.envRefs?.length) return; // `"${OPTS[*]}"`: cannot be checked statically
    const spec = isBind ? getBindOption(word.value) : getServerOption(word.value);
    if (spec) {
      if (spec.value === 'variable') return;
      i += spec.value;
      continue;
    }
    report(ctx, sc, stmt, word, candidates);
    return;
  }
}

function report(ctx: CheckContext, sc: StatementContext, stmt: Statement, word: Word, candidates: Set<string>): void {
  const s = suggestOption(word.value, candidates);
  let where: string;
  if (stmt.keyword === 'bind') {
    where = `'bind ${stmt.args[0]?.value ?? ''}' in section '${sc.section?.kind ?? ''}':`;
  } else if (stmt.keyword === 'server' && sc.proxy) {
    where = `'server ${sc.proxy.name}/${stmt.args[0]?.value ?? ''}' :`;
  } else {
    where = `'${stmt.keyword}${sc.proxy ? ` ${sc.proxy.name}` : ''}' :`;
  }
  const fixes = s ? [replaceFix(`Replace with '${s}'`, sc.file, word.range, s)] : [];
  ctx.report(codes.unknownServerKeyword, sc.file, word.range,
    `${where} unknown keyword '${word.value}'` + (s ? `; did you mean '${s}' maybe ?` : '.'), { fixes });
}

function suggestOption(value: string, candidates: Set<string>): string | undefined {
  for (const v of [value.replace(/_/g, '-'), value.toLowerCase()]) if (v !== value && candidates.has(v)) return v;
  return suggest(value, candidates);
}

export const serverBindOptionsCheck: Check = {
  name: 'server-bind-options',
  run(ctx) {
    for (const sc of statementVisits(ctx.model)) {
      if (!sc.inProxySection || sc.hasModifier) continue;
      const start = firstOptionIndex(sc.keyword);
      if (start >= 0) checkOptions(ctx, sc, sc.stmt, start);
    }
  },
};
