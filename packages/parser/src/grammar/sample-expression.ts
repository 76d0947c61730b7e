// HAProxy's second-level parser for sample expressions: `fetch(arg,…),conv(arg,…),…`.
// It runs on a word's value (after first-level unquoting) and splits arguments on `,` and `)`,
// honouring quotes and backslashes once more (reference §1.4).
import type { Range, SampleArg, SampleCall, SampleExpr, Word } from '../ast/nodes.js';
import { WordSlice, exactSize, rangeInWord, sliceOrEmpty } from '../ast/ranges.js';
import { intern } from '../lexer/intern.js';

class Arg extends WordSlice implements SampleArg {
  constructor(public value: string, word: Word, from: number, to: number) {
    super(word, from, to);
  }
}

class Call extends WordSlice implements SampleCall {
  constructor(public name: string, public args: SampleArg[] | undefined, word: Word, from: number, to: number) {
    super(word, from, to);
  }

  get nameRange(): Range {
    return rangeInWord(this.word, this.from, this.from + this.name.length);
  }
}

class Expr extends WordSlice implements SampleExpr {
  constructor(public text: string, public fetch: SampleCall, public converters: SampleCall[], word: Word, from: number, to: number) {
    super(word, from, to);
  }
}

export interface SampleSyntaxError {
  message: string;
  /** Index in the word's value where the problem is. */
  from: number;
  to: number;
}

export interface SampleParse {
  expr?: SampleExpr;
  error?: SampleSyntaxError;
  /** Index just after the expression (at `]` inside `%[…]`). */
  end: number;
}

/** Characters HAProxy accepts in fetch and converter names. */
function isNameChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) ||
    c === 46 /* . */ || c === 95 /* _ */ || c === 45 /* - */ || c === 43 /* + */ || c === 36 /* $ */
  );
}

/**
 * Parses the expression in `word.value` from `from` up to `limit` (exclusive).
 * With `stopAtBracket`, a `]` outside arguments ends the expression (for `%[…]`).
 */
export function parseSampleExpression(
  word: Word,
  from = 0,
  limit = word.value.length,
  stopAtBracket = false,
): SampleParse {
  const v = word.value;
  let i = from;
  const calls: SampleCall[] = [];
  for (;;) {
    const nameStart = i;
    while (i < limit && isNameChar(v.charCodeAt(i))) i++;
    if (i === nameStart) {
      const what = calls.length === 0 ? 'a fetch name' : 'a converter name';
      const found = i < limit ? `'${v[i]}'` : 'the end';
      return { error: { message: `expected ${what} but found ${found}`, from: i, to: Math.min(i + 1, limit) }, end: i };
    }
    const name = intern(v, nameStart, i);
    let args: SampleArg[] | undefined;
    if (i < limit && v.charCodeAt(i) === 40 /* ( */) {
      const parsed = parseArgs(word, i + 1, limit);
      if (parsed.error) return { error: parsed.error, end: parsed.end };
      args = parsed.args;
      i = parsed.end;
    }
    calls.push(new Call(name, args, word, nameStart, i));
    if (i >= limit) break;
    const c = v.charCodeAt(i);
    if (stopAtBracket && c === 93 /* ] */) break;
    if (c !== 44 /* , */) {
      const kind = calls.length === 1 ? 'fetch method' : 'converter';
      return {
        error: { message: `unexpected '${v[i]}' after ${kind} '${name}'; expected ',' and a converter`, from: i, to: i + 1 },
        end: i,
      };
    }
    i++;
  }
  return { expr: new Expr(v.slice(from, i), calls[0]!, sliceOrEmpty(calls, 1), word, from, i), end: i };
}

/** Splits `a,b)` into arguments; `start` is just after `(`. */
function parseArgs(
  word: Word,
  start: number,
  limit: number,
): { args: SampleArg[]; end: number; error?: SampleSyntaxError } {
  const v = word.value;
  const args: SampleArg[] = [];
  let i = start;
  let argStart = i;
  // The argument's value is a slice of the word (a shared one: see intern.ts) until a quote or
  // backslash shows up; from there on it is built character by character.
  let built: string | undefined;
  let quote = 0;
  while (i < limit) {
    const c = v.charCodeAt(i);
    if (quote) {
      // `built` is set: the opening quote set it.
      if (c === quote) quote = 0;
      else if (c === 92 /* \ */ && i + 1 < limit) built = built! + v[++i]!;
      else built = built! + v[i]!;
      i++;
      continue;
    }
    if (c === 34 || c === 39) {
      built ??= v.slice(argStart, i);
      quote = c;
      i++;
      continue;
    }
    if (c === 92 && i + 1 < limit) {
      built = (built ?? v.slice(argStart, i)) + v[i + 1]!;
      i += 2;
      continue;
    }
    if (c === 44 || c === 41) {
      const empty = c === 41 && args.length === 0 && i === start;
      if (!empty) args.push(new Arg(built ?? intern(v, argStart, i), word, argStart, i));
      if (c === 41) return { args: exactSize(args), end: i + 1 };
      i++;
      argStart = i;
      built = undefined;
      continue;
    }
    if (built !== undefined) built += v[i]!;
    i++;
  }
  const error = quote
    ? { message: `unmatched quote in arguments`, from: argStart, to: limit }
    : { message: `expected ')'`, from: start - 1, to: limit };
  return { args, end: limit, error };
}
