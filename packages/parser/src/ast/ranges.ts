// Range helpers shared by the grammar pieces: map positions inside a word's value back to the
// source, and span several nodes.
import type { Range, Word } from './nodes.js';

/** The source offset of character `index` of `word.value` (index may equal value.length). */
export function sourceOffsetInWord(word: Word, index: number): number {
  return offsetIn(word, word.range, index);
}

function offsetIn(word: Word, r: Range, index: number): number {
  if (!word.offsets) return r.start.offset + index;
  if (index >= word.value.length) return r.end.offset;
  return word.offsets[index]!;
}

/** The source range of `word.value.slice(from, to)`. */
export function rangeInWord(word: Word, from: number, to: number): Range {
  // Read once: a tokenizer word builds a new Range on each read.
  const r = word.range;
  const start = offsetIn(word, r, from);
  let end: number;
  if (to >= word.value.length) end = r.end.offset;
  else if (to <= from) end = start;
  else end = word.offsets ? word.offsets[to - 1]! + 1 : r.start.offset + to;
  if (end < start) end = start;
  const line = r.start.line;
  const lineStart = r.start.offset - r.start.column;
  if (start === r.start.offset && end === r.end.offset) return r;
  return { start: { line, column: start - lineStart, offset: start }, end: { line, column: end - lineStart, offset: end } };
}

/**
 * Base of AST nodes that stand for `word.value.slice(from, to)` (sample calls, log-format parts)
 * and build their range when read: a large file holds tens of thousands and few are located.
 */
export class WordSlice {
  // Assigned, not declared as class fields: a field initializer of a base class runs on the
  // objects of every subclass, and V8 then defines the fields through its slow generic path
  // (about a tenth of parsing time on a large file).
  declare protected readonly word: Word;
  declare protected readonly from: number;
  declare protected readonly to: number;

  constructor(word: Word, from: number, to: number) {
    this.word = word;
    this.from = from;
    this.to = to;
  }

  get range(): Range {
    return rangeInWord(this.word, this.from, this.to);
  }
}

/** One frozen empty list shared by every AST node with nothing to list (most have nothing). */
export const EMPTY: never[] = Object.freeze([]) as never[];

/**
 * `items` with no spare room, or EMPTY. An array grown by push reserves 17 slots, and the AST
 * keeps hundreds of thousands of small lists; the copy costs one short-lived array.
 */
export function exactSize<T>(items: T[]): T[] {
  return items.length === 0 ? EMPTY : items.slice();
}

/** `items.slice(from, to)`, or EMPTY when that is empty. */
export function sliceOrEmpty<T>(items: readonly T[], from: number, to: number = items.length): T[] {
  return from >= to || from >= items.length ? EMPTY : items.slice(from, to);
}

/** The smallest range covering `first` and `last`. */
export function spanRange(first: Range, last: Range): Range {
  return { start: first.start, end: last.end };
}

/** True when `pos` lies within `range` (end inclusive, for cursors at the end of a word). */
export function containsPosition(range: Range, line: number, column: number): boolean {
  if (line < range.start.line || line > range.end.line) return false;
  if (line === range.start.line && column < range.start.column) return false;
  if (line === range.end.line && column > range.end.column) return false;
  return true;
}

/** A word made of `word.value.slice(from, to)`, with its own range (e.g. an ACL name after `!`). */
export function subWord(word: Word, from: number, to: number = word.value.length): Word {
  if (from === 0 && to === word.value.length) return word;
  const range = rangeInWord(word, from, to);
  const value = word.value.slice(from, to);
  const text = word.offsets ? word.text.slice(range.start.offset - word.range.start.offset, range.end.offset - word.range.start.offset) : value;
  const sub: Word = { text, value, range, quoted: word.quoted };
  if (word.offsets) sub.offsets = word.offsets.slice(from, to);
  if (text === value) delete sub.offsets;
  return sub;
}
