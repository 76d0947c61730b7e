// `no` / `default` before a keyword: HAProxy 2.6 accepts them only before `option …` (and only
// options marked (*) in the matrix), `log`, and a few global flags.
import { findKeyword } from '../../catalogue/index.js';
import { codes } from '../../diagnostics/codes.js';
import type { Check, CheckContext } from '../registry.js';
import type { Word } from '../../ast/nodes.js';
import { replaceFix, statementVisits } from './util.js';

const ALLOWED = new Set(['log', 'busy-polling', 'set-dumpable', 'strict-limits', 'insecure-fork-wanted', 'numa-cpu-mapping']);

export const modifierCheck: Check = {
  name: 'keyword-modifier',
  run(ctx) {
    const visits = statementVisits(ctx.model);
    for (let n = 0; n < visits.length; n++) {
      const { stmt, file, section, hasModifier, slashComment } = visits[n]!;
      if (!hasModifier || slashComment) continue;
      const mod = stmt.modifier!;
      const kw = stmt.keywordWords.map((w) => w.value);
      const next = stmt.keywordWords[0] ?? stmt.args[0];
      const removal = next
        ? replaceFix(`Remove '${mod.value}'`, file, { start: mod.range.start, end: next.range.start }, '')
        : undefined;
      if (kw[0] === 'option') {
        const found = section ? findKeyword(section.kind, kw) : undefined;
        // Unknown options are reported by the unknown-option check.
        if (!found || found.wordCount !== kw.length) continue;
        if (!found.spec.negatable) {
          ctx.report(codes.badModifier, file, mod.range, `negation/default is not supported for option '${kw.slice(1).join(' ')}'.`, { fixes: removal ? [removal] : [] });
        } else if (mod.value === 'default' && found.spec.args?.length === 0) {
          reportDefaultQuirk(ctx, file, stmt.keyword, mod, stmt.line.words);
        }
        continue;
      }
      if (ALLOWED.has(kw[0] ?? '')) continue;
      ctx.report(codes.badModifier, file, mod.range,
        'negation/default currently supported only for options, log, busy-polling, set-dumpable, strict-limits, insecure-fork-wanted and numa-cpu-mapping.',
        { fixes: removal ? [removal] : [] });
    }
  },
};

/**
 * HAProxy 2.6 strips `default` by shifting the words left without blanking the last slot, so
 * the last word is read twice: an option that takes no argument then refuses its own name as an
 * extra argument (fatal). `default option redispatch` survives only because it takes one.
 */
function reportDefaultQuirk(ctx: CheckContext, file: string, keyword: string, mod: Word, lineWords: readonly Word[]): void {
  const last = lineWords[lineWords.length - 1]!;
  ctx.report(codes.extraArgument, file, mod.range,
    `'${keyword}' cannot handle unexpected argument '${last.value}'. (HAProxy 2.6 reads the last word twice after 'default'; remove the line to keep the inherited setting.)`);
}
