// `no` / `default` before a keyword: HAProxy 2.6 accepts them only before `option …` (and only
// options marked (*) in the matrix), `log`, and a few global flags.
import { findKeyword } from '../../catalogue/index.js';
import { codes } from '../../diagnostics/codes.js';
import type { Check } from '../registry.js';
import { argumentsAsRead, replaceFix, statementVisits } from './util.js';

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
          // 2.6 reads the option's name again as an argument it does not take (argumentsAsRead).
          const extra = argumentsAsRead(stmt)[0]!;
          ctx.report(codes.extraArgument, file, mod.range,
            `'${stmt.keyword}' cannot handle unexpected argument '${extra.value}'. (HAProxy 2.6 reads the last word twice after 'default'; remove the line to keep the inherited setting.)`);
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

