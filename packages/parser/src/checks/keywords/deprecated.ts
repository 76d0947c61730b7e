// Removed and deprecated keywords, with HAProxy 2.6's own message and severity (removed ones are
// fatal, `bind-process` and `tune.ssl.capture-cipherlist-size` are warnings) and a fix that
// writes the replacement when the rewrite is mechanical. Keywords the catalogue marks as
// deprecated but that 2.6 accepts silently get an `info` note.
import type { Statement } from '../../ast/nodes.js';
import { codes } from '../../diagnostics/codes.js';
import type { Fix } from '../../diagnostics/diagnostic.js';
import type { Check, CheckContext } from '../registry.js';
import {
  removedGlobalKeywordMessages, removedOptionMessages, removedProxyKeywordMessages, type RemovedKeyword,
} from './removed-keywords.js';
import { fileText, replaceFix, statementVisits, wholeLineRange, wordsRange } from './util.js';

function fixesFor(entry: RemovedKeyword, stmt: Statement, file: string, keywordEnd: number, text: string): Fix[] {
  const kwWords = stmt.line.words.slice(stmt.modifier ? 1 : 0, keywordEnd);
  if (entry.replaceKeyword && kwWords.length > 0) {
    return [replaceFix(`Replace with '${entry.replaceKeyword}'`, file, wordsRange(kwWords), entry.replaceKeyword)];
  }
  if (entry.replaceStatement && stmt.args[0]) {
    const text = entry.replaceStatement.replace('$1', stmt.args[0].text);
    return [replaceFix(`Replace with '${text}'`, file, stmt.range, text)];
  }
  if (entry.remove) return [replaceFix('Remove the line', file, wholeLineRange(stmt, text), '')];
  // The condition, if any, stays as written after the rewritten words.
  const rewrite = headerRuleRewrite(stmt);
  const kw = stmt.keywordWords[0];
  const arg = stmt.args[0];
  return rewrite && kw && arg ? [replaceFix(`Replace with '${rewrite}'`, file, { start: kw.range.start, end: arg.range.end }, rewrite)] : [];
}

const ADD_HEADER = new Map([['reqadd', 'http-request add-header'], ['rspadd', 'http-response add-header']]);
const DEL_HEADER = new Map([['reqdel', 'http-request del-header'], ['reqidel', 'http-request del-header'], ['rspdel', 'http-response del-header'], ['rspidel', 'http-response del-header']]);
const quoted = (s: string): string => (/^[^\s"'#\\]+$/.test(s) ? s : `"${s.replace(/(["\\])/g, '\\$1')}"`);

/**
 * The 2.1+ rule for the common removed header keywords, when the rewrite is mechanical:
 * `reqadd X-A:\ b` → `http-request add-header X-A b`; `reqdel ^X-A:` → `http-request del-header X-A`.
 */
function headerRuleRewrite(stmt: Statement): string | undefined {
  const kw = stmt.keywordWords[0]?.value;
  const arg = stmt.args[0];
  if (!kw || !arg) return undefined;
  const add = ADD_HEADER.get(kw);
  if (add) {
    const colon = arg.value.indexOf(':');
    return colon > 0 ? `${add} ${arg.value.slice(0, colon).trim()} ${quoted(arg.value.slice(colon + 1).trim())}` : undefined;
  }
  const del = DEL_HEADER.get(kw);
  const header = del ? /^\^([A-Za-z0-9_-]+):(\.\*)?$/.exec(arg.value) : null;
  return del && header ? `${del} ${header[1]}` : undefined;
}

function report(ctx: CheckContext, file: string, stmt: Statement, entry: RemovedKeyword, keywordEnd: number): void {
  const words = stmt.line.words.slice(stmt.modifier ? 1 : 0, keywordEnd);
  ctx.report(codes.deprecatedKeyword, file, wordsRange(words.length ? words : stmt.line.words), entry.message, {
    severity: entry.severity,
    deprecated: true,
    fixes: fixesFor(entry, stmt, file, keywordEnd, fileText(ctx.model, file)),
  });
}

export const deprecatedCheck: Check = {
  name: 'deprecated-keyword',
  run(ctx) {
    const visits = statementVisits(ctx.model);
    for (let n = 0; n < visits.length; n++) {
      const { stmt, file, section, head: first, spec, hasModifier, inProxySection, slashComment } = visits[n]!;
      if (!section || slashComment || first === '') continue;
      const base = hasModifier ? 1 : 0;
      if (inProxySection) {
        const removed = removedProxyKeywordMessages.get(first);
        if (removed) {
          report(ctx, file, stmt, removed, base + 1);
          continue;
        }
        if (first === 'option') {
          const optWord = stmt.keywordWords[1] ?? stmt.args[0];
          const opt = optWord && removedOptionMessages.get(optWord.value);
          if (opt) {
            report(ctx, file, stmt, opt, base + 2);
            continue;
          }
        }
      } else if (section.kind === 'global') {
        const removed = removedGlobalKeywordMessages.get(first);
        if (removed) {
          report(ctx, file, stmt, removed, base + 1);
          continue;
        }
      }
      if (!spec?.deprecated) continue;
      const dep = spec.deprecated;
      const fixes = dep.replacement && !dep.replacement.includes('<')
        ? [replaceFix(`Replace with '${dep.replacement}'`, file, wordsRange(stmt.keywordWords), dep.replacement)]
        : [];
      ctx.report(codes.deprecatedKeyword, file, wordsRange(stmt.keywordWords),
        `'${spec.name}' is deprecated` + (dep.replacement ? `; use '${dep.replacement}' instead` : '') + (dep.note ? ` (${dep.note})` : '') + '. HAProxy 2.6 still accepts it.',
        { severity: 'info', deprecated: true, fixes });
    }
  },
};
