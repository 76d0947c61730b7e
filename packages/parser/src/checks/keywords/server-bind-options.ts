// Unknown options on `server`, `default-server`, `server-template` and `bind` lines, with a
// "did you mean" (`wieght` → `weight`), in HAProxy's wording. Like HAProxy, stops at the first
// unknown word of a line (what follows it cannot be read reliably).
import type { Statement, Word } from '../../ast/nodes.js';
import { bindKeywords, serverKeywords, suggest } from '../../catalogue/index.js';
import { codes } from '../../diagnostics/codes.js';
import type { Check, CheckContext } from '../registry.js';
import { optionLines } from '../option-lines.js';
import { replaceFix, type StatementContext } from './util.js';

let serverSet: Set<string> | undefined;
let bindSet: Set<string> | undefined;

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
    const lines = optionLines(ctx.model);
    for (let n = 0; n < lines.length; n++) {
      const line = lines[n]!;
      // A `${VAR}` word up to the unknown one: the rest cannot be checked statically.
      if (!line.unknown || line.envAt >= 0) continue;
      const candidates = line.isBind ? (bindSet ??= new Set(bindKeywords)) : (serverSet ??= new Set(serverKeywords));
      if (candidates.size === 0) continue;
      const sc = line.visit;
      report(ctx, sc, sc.stmt, sc.stmt.args[line.stop]!, candidates);
    }
  },
};
