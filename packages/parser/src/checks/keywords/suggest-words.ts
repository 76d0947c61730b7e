// "Did you mean" for keywords and actions that also looks at the next word, so `set header`
// finds `set-header` and `use-backend` finds `use_backend`.
import type { Range, Word } from '../../ast/nodes.js';
import { suggest } from '../../catalogue/index.js';

export interface WordSuggestion {
  /** The text to write instead of the replaced words. */
  text: string;
  /** How many words (from the first) the suggestion replaces: 1 or 2. */
  count: number;
}

/**
 * The best replacement for `words[0]` (optionally merged with `words[1]`) among `candidates`.
 * `strip` removes a parenthesised suffix (`set-var(txn.x)`) before comparing.
 */
export function suggestWords(words: readonly Word[], candidates: ReadonlySet<string>): WordSuggestion | undefined {
  const first = words[0];
  if (!first) return undefined;
  const w0 = first.value;
  const next = words[1]?.value;
  if (next !== undefined && !words[1]!.quoted) {
    for (const joined of [`${w0}-${next}`, `${w0}_${next}`, `${w0}${next}`]) {
      if (candidates.has(joined)) return { text: joined, count: 2 };
    }
  }
  for (const variant of [w0.replace(/_/g, '-'), w0.replace(/-/g, '_'), w0.toLowerCase()]) {
    if (variant !== w0 && candidates.has(variant)) return { text: variant, count: 1 };
  }
  const s = suggest(w0, candidates);
  return s ? { text: s, count: 1 } : undefined;
}

export function replacedRange(words: readonly Word[], count: number): Range {
  return { start: words[0]!.range.start, end: words[Math.min(count, words.length) - 1]!.range.end };
}
