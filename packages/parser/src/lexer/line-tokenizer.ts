// HAProxy's first-level tokeniser (`parse_line` in src/tools.c), one physical line at a time.
// Hand-written rather than a Chevrotain lexer: quoting glues pieces into one word and
// `${VAR[*]}` can split one source word into several, which a regex token stream cannot express.
import type { Comment, Range, Word } from '../ast/nodes.js';
import type { Environment } from './environment.js';

/** What the tokeniser needs to know about where the line stands. */
export interface LineContext {
  env: Environment;
  /** File name as given to `${.FILE}`. */
  file: string;
  /** Section name for `${.SECTION}` (its name, or its type when unnamed, e.g. `global`). */
  section: string;
}

/** A lexical error, with HAProxy's wording and the column HAProxy points at. */
export interface LexError {
  message: string;
  range: Range;
}

export interface TokenizedLine {
  indent: string;
  words: Word[];
  comment?: Comment;
  errors: LexError[];
}

/** HAProxy stops a line after this many words (MAX_LINE_ARGS). */
export const MAX_LINE_WORDS = 64;

/**
 * Tokenises `text[start, end)` — one line without its line ending — at 0-based `lineNo`.
 * Never throws.
 */
export declare function tokenizeLine(
  text: string,
  start: number,
  end: number,
  lineNo: number,
  context: LineContext,
): TokenizedLine;
