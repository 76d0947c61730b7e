// Names HAProxy refuses for their characters (its invalid_char: letters, digits, `.`, `:`, `_`
// and `-` only): proxy names, server names and ACL names. A refused `acl` line declares
// nothing, so its uses are "no such ACL" too (see failed-acl-uses in the expression checks).
// Messages are those of `haproxy -c` 2.6.12.
import type { AclStatement, Word } from '../../ast/nodes.js';
import { rangeInWord } from '../../ast/ranges.js';
import { codes } from '../../diagnostics/codes.js';
import type { Check, CheckContext } from '../registry.js';
import { statementVisits } from '../statement-visits.js';

/** A character HAProxy does not allow in a name (the regex engine scans faster than a loop on a cold run). */
const INVALID_NAME_CHAR = /[^0-9A-Za-z.:_-]/;

/** Index of the first character HAProxy does not allow in a name, or -1. */
export function invalidNameChar(name: string): number {
  if (!INVALID_NAME_CHAR.test(name)) return -1;
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
      // The name is looked at first: the rest (and the message) only matter for a bad one.
      if (p.nameWord && invalidNameChar(p.nameWord.value) >= 0) checkName(ctx, file, p.nameWord, `'${p.section.keyword.value}' name`);
      for (const s of p.servers) {
        // `s.name` is the name word's value, read without the word.
        if (!s.nameWord || invalidNameChar(s.name) < 0) continue;
        if (!s.statement.line.active || s.statement.keyword !== 'server') continue;
        checkName(ctx, file, s.nameWord, 'server name');
      }
    }
    // ACL names: those of defaults sections first, then those of proxies (each in load order).
    // One pass: the few bad names of proxies wait until the defaults' are reported.
    const visits = statementVisits(ctx.model);
    const inProxies: { file: string; name: Word }[] = [];
    for (let i = 0; i < visits.length; i++) {
      const v = visits[i]!;
      if (v.type !== 'acl' || !v.proxy) continue;
      const stmt = v.stmt as AclStatement;
      const name = stmt.name;
      if (!name || invalidNameChar(name.value) < 0 || !v.active) continue;
      if (v.proxy.kind === 'defaults') checkName(ctx, v.proxy.section.file, name, 'acl name');
      else inProxies.push({ file: v.proxy.section.file, name });
    }
    for (const { file, name } of inProxies) checkName(ctx, file, name, 'acl name');
  },
};
