// Names HAProxy refuses for their characters (its invalid_char: letters, digits, `.`, `:`, `_`
// and `-` only): proxy names, server names and ACL names. A refused `acl` line declares
// nothing, so its uses are "no such ACL" too (see failed-acl-uses in the expression checks).
// Messages are those of `haproxy -c` 2.6.12.
import type { AclStatement, Word } from '../../ast/nodes.js';
import { rangeInWord } from '../../ast/ranges.js';
import { codes } from '../../diagnostics/codes.js';
import type { Check, CheckContext } from '../registry.js';
import { statementVisits } from '../statement-visits.js';

/** Index of the first character HAProxy does not allow in a name, or -1. */
export function invalidNameChar(name: string): number {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 58 || c === 95 || c === 45;
    if (!ok) return i;
  }
  return -1;
}

/** Reports the first character HAProxy refuses in a name; `what` names it in the message (`server name`). */
function checkName(ctx: CheckContext, file: string, word: Word, what: string): void {
  if ((word.envRefs?.length ?? 0) > 0) return;
  const i = invalidNameChar(word.value);
  if (i < 0) return;
  const ch = word.value[i]!;
  ctx.report(codes.badName, file, rangeInWord(word, i, i + 1), `character '${ch}' is not permitted in ${what} '${word.value}'.`);
}

export const namesCheck: Check = {
  name: 'names',
  run(ctx) {
    for (const p of ctx.model.proxies) {
      if (!p.section.header.active) continue;
      const file = p.section.file;
      if (p.nameWord) checkName(ctx, file, p.nameWord, `'${p.section.keyword.value}' name`);
      for (const s of p.servers) {
        if (!s.statement.line.active || s.statement.keyword !== 'server' || !s.nameWord) continue;
        checkName(ctx, file, s.nameWord, 'server name');
      }
    }
    // ACL names: those of defaults sections first, then those of proxies (each in load order).
    const visits = statementVisits(ctx.model);
    for (const inDefaults of [true, false]) {
      for (const v of visits) {
        if (v.type !== 'acl' || !v.proxy || (v.proxy.kind === 'defaults') !== inDefaults) continue;
        const stmt = v.stmt as AclStatement;
        if (stmt.name && stmt.line.active) checkName(ctx, v.proxy.section.file, stmt.name, 'acl name');
      }
    }
  },
};
