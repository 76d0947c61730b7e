// HAProxy's first-level tokeniser (`parse_line` in src/tools.c), one physical line at a time.
// Hand-written rather than a Chevrotain lexer: quoting glues pieces into one word and
// `${VAR[*]}` can split one source word into several, which a regex token stream cannot express.
import type { Comment, EnvRef, Position, Range, Word } from '../ast/nodes.js';
import type { Environment } from './environment.js';
import { EMPTY } from '../ast/ranges.js';
import { internSlice } from './intern.js';
import { PlainWord, SourceWord, type LineAnchor } from './source-word.js';

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

// Character classes for the fast path (ASCII only; everything >= 128 is a regular char).
const C_REGULAR = 0;
const C_BLANK = 1; // isspace() minus LF/CR: TAB VT FF SPACE
const C_END = 2; // NUL LF CR end the content
const C_SPECIAL = 3; // # " ' \
const CLASS = new Uint8Array(128);
CLASS[0] = C_END;
CLASS[10] = C_END;
CLASS[13] = C_END;
CLASS[9] = C_BLANK;
CLASS[11] = C_BLANK;
CLASS[12] = C_BLANK;
CLASS[32] = C_BLANK;
CLASS[35] = C_SPECIAL; // #
CLASS[34] = C_SPECIAL; // "
CLASS[39] = C_SPECIAL; // '
CLASS[92] = C_SPECIAL; // \

const CH_TAB = 9;
const CH_LF = 10;
const CH_CR = 13;
const CH_SPACE = 32;
const CH_DQUOTE = 34;
const CH_HASH = 35;
const CH_DOLLAR = 36;
const CH_SQUOTE = 39;
const CH_DASH = 45;
const CH_DOT = 46;
const CH_LBRACKET = 91;
const CH_BACKSLASH = 92;
const CH_RBRACKET = 93;
const CH_STAR = 42;
const CH_LBRACE = 123;
const CH_RBRACE = 125;

/** C isspace() in the "C" locale. */
function isSpace(c: number): boolean {
  return c === CH_SPACE || (c >= 9 && c <= 13);
}
function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Number of UTF-8 bytes of `s.slice(from, to)`: HAProxy counts positions in bytes. */
function utf8Length(s: string, from: number, to: number): number {
  let n = 0;
  for (let k = from; k < to; k++) {
    const c = s.charCodeAt(k);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && k + 1 < to) {
      const d = s.charCodeAt(k + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        k++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** A word in progress (one HAProxy argument; `${V[*]}` can end one and start another). */
interface Piece {
  value: string;
  offsets: number[];
  slot: number;
  hasNul: boolean;
}

class Tokenizer {
  text = '';
  start = 0;
  end = 0;
  lineNo = 0;
  /** What the line's words point at for their line number and start. */
  anchor!: LineAnchor;
  ctx!: LineContext;
  /**
   * The current line's words, in a scratch list kept from line to line (`wordCount` of it is in
   * use): the line keeps an exact-size copy, so no list grown by push is made and dropped per line.
   */
  words: Word[] = [];
  wordCount = 0;
  /** HAProxy's `arg`: index of the argument being filled. */
  slot = 0;
  /** First parse_line error (HAProxy stops there and reports only it). */
  hardError: LexError | undefined;
  tooManyRange: Range | undefined;

  // Slow-path state for the current source word.
  val = '';
  offs: number[] = [];
  hasNul = false;
  pieces: Piece[] = [];
  envRefs: EnvRef[] | undefined;

  pos(offset: number): Position {
    return { line: this.lineNo, column: offset - this.start, offset };
  }

  range(from: number, to: number): Range {
    return { start: this.pos(from), end: this.pos(to) };
  }

  /** HAProxy's 1-based byte position of `offset` in the raw line. */
  bytePos(offset: number): number {
    return utf8Length(this.text, this.start, offset) + 1;
  }

  fail(message: string, at: number): void {
    if (this.hardError) return;
    const to = at < this.end ? at + 1 : at;
    this.hardError = { message: `${message} at position ${this.bytePos(at)}:`, range: this.range(at, to) };
  }

  /** A separator or a `[*]` split starts a new argument. */
  nextSlot(from: number, to: number): void {
    this.slot++;
    if (this.slot >= MAX_LINE_WORDS && !this.tooManyRange) this.tooManyRange = this.range(from, to);
  }

  run(text: string, start: number, end: number, lineNo: number, ctx: LineContext, anchor: LineAnchor): TokenizedLine {
    this.text = text;
    this.start = start;
    this.end = end;
    this.lineNo = lineNo;
    this.anchor = anchor;
    this.ctx = ctx;
    this.wordCount = 0;
    this.slot = 0;
    this.hardError = undefined;
    this.tooManyRange = undefined;

    let i = start;
    // Leading blanks (isspace, which includes CR here, as readcfgfile does).
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === CH_SPACE || (c >= 9 && c <= 13)) i++;
      else break;
    }
    const indent = i === start ? '' : internSlice(text, start, i, 0);
    let comment: Comment | undefined;
    let stop = end; // where the tokenised content stops
    let nulAt = -1;

    outer: while (i < end) {
      let c = text.charCodeAt(i);
      if (c < 128) {
        const cls = CLASS[c];
        if (cls === C_END) {
          stop = i;
          if (c === 0) nulAt = i;
          break;
        }
        if (c === CH_HASH) {
          stop = i;
          break;
        }
      }
      // Fast path: a run of regular chars ended by a blank, the end, or `#`.
      let j = i;
      let hash = 0;
      while (j < end && ((c = text.charCodeAt(j)) >= 128 || CLASS[c] === C_REGULAR)) {
        hash = (hash * 31 + c) | 0; // hashStep, written out in the hottest loop
        j++;
      }
      let wordEnd: number;
      if (j === end || (c !== CH_DQUOTE && c !== CH_SQUOTE && c !== CH_BACKSLASH)) {
        if (this.slot < MAX_LINE_WORDS) {
          const s = internSlice(text, i, j, hash);
          this.addWord(new PlainWord(s, this.anchor, i));
        }
        wordEnd = j;
      } else {
        wordEnd = this.slowWord(i);
      }
      if (wordEnd >= end) {
        stop = end;
        break;
      }
      c = text.charCodeAt(wordEnd);
      if (c === CH_SPACE || c === CH_TAB || c === 11 || c === 12) {
        // Separator: HAProxy skips every isspace() char here, CR and LF included.
        let k = wordEnd + 1;
        while (k < end) {
          const d = text.charCodeAt(k);
          if (d === CH_SPACE || (d >= 9 && d <= 13)) k++;
          else break;
        }
        this.slot++;
        if (this.slot >= MAX_LINE_WORDS && !this.tooManyRange) {
          // Points at what gets dropped, or at the trailing blanks that opened the extra slot.
          let dropEnd = k;
          while (dropEnd < end) {
            const d = text.charCodeAt(dropEnd);
            if (d === CH_HASH || d === 0 || d === CH_LF || d === CH_CR) break;
            dropEnd++;
          }
          this.tooManyRange = dropEnd > k ? this.range(k, dropEnd) : this.range(wordEnd, k);
        }
        i = k;
        continue outer;
      }
      // The word stopped on `#`, CR, LF or NUL.
      stop = wordEnd;
      if (c === 0) nulAt = wordEnd;
      break;
    }

    if (stop < end && text.charCodeAt(stop) === CH_HASH) {
      let cend = end;
      if (cend > stop && text.charCodeAt(cend - 1) === CH_CR) cend--;
      comment = { text: text.slice(stop, cend), range: this.range(stop, cend) };
    }
    if (nulAt < 0 && stop < end) {
      for (let k = stop; k < end; k++) {
        if (text.charCodeAt(k) === 0) {
          nulAt = k;
          break;
        }
      }
    }

    const words = this.takeWords();
    // Most lines have no error: they share one empty list rather than keep 100,000 of them.
    let errors = NO_ERRORS as LexError[];
    if (this.hardError) errors = [this.hardError];
    else if (this.tooManyRange) {
      // Position in HAProxy's output buffer (values joined with NULs) of the 64th word.
      let p = 1;
      let last = '';
      let n = 0;
      for (const w of words) {
        if (n === MAX_LINE_WORDS - 1) {
          last = w.value;
          break;
        }
        p += utf8Length(w.value, 0, w.value.length) + 1;
        n++;
      }
      errors = [{
        message: `too many words, truncating after word ${MAX_LINE_WORDS}, position ${p}: <${last}>.`,
        range: this.tooManyRange,
      }];
    }
    if (nulAt >= 0) {
      const stray = { message: `Stray NUL character at position ${this.bytePos(nulAt)}.`, range: this.range(nulAt, nulAt + 1) };
      errors = errors.length === 0 ? [stray] : [...errors, stray];
    }
    this.ctx = undefined as unknown as LineContext;
    this.anchor = undefined as unknown as LineAnchor;
    this.text = '';
    const result: TokenizedLine = { indent, words, errors };
    if (comment) result.comment = comment;
    return result;
  }

  addWord(word: Word): void {
    this.words[this.wordCount++] = word;
  }

  /**
   * The line's words as an exact-size list (the shared EMPTY when none). The scratch list still
   * points at them until the next lines overwrite it, which keeps nothing alive that the line
   * does not keep anyway.
   */
  takeWords(): Word[] {
    const count = this.wordCount;
    this.wordCount = 0;
    return count === 0 ? EMPTY : this.words.slice(0, count);
  }

  appendRun(from: number, to: number): void {
    if (to <= from) return;
    this.val += this.text.slice(from, to);
    const offs = this.offs;
    for (let k = from; k < to; k++) offs.push(k);
  }

  appendChar(ch: string, at: number): void {
    this.val += ch;
    this.offs.push(at);
  }

  endPiece(): void {
    this.pieces.push({ value: this.val, offsets: this.offs, slot: this.slot, hasNul: this.hasNul });
    this.val = '';
    this.offs = [];
    this.hasNul = false;
  }

  /**
   * Tokenises one source word that needs quote/escape/expansion handling, starting at `i`.
   * Returns the offset where it stops (a separator, `#`, or the end of the content).
   */
  slowWord(i: number): number {
    const text = this.text;
    const end = this.end;
    this.val = '';
    this.offs = [];
    this.hasNul = false;
    this.pieces = [];
    this.envRefs = undefined;
    let quoted = false;
    let dq = false;
    let sq = false;
    let quotePos = -1;
    let p = i;

    while (p < end) {
      const c = text.charCodeAt(p);
      if (c === 0 || c === CH_LF || c === CH_CR) break;
      if (sq) {
        if (c === CH_SQUOTE) {
          sq = false;
          p++;
          continue;
        }
        let q = p + 1;
        while (q < end) {
          const d = text.charCodeAt(q);
          if (d === CH_SQUOTE || d === 0 || d === CH_LF || d === CH_CR) break;
          q++;
        }
        this.appendRun(p, q);
        p = q;
        continue;
      }
      if (c === CH_DQUOTE) {
        quoted = true;
        dq = !dq;
        quotePos = p;
        p++;
        continue;
      }
      if (c === CH_SQUOTE && !dq) {
        quoted = true;
        sq = true;
        quotePos = p;
        p++;
        continue;
      }
      if (c === CH_BACKSLASH) {
        p = this.escape(p, dq);
        continue;
      }
      if (dq) {
        if (c === CH_DOLLAR) {
          p = this.expand(p);
          continue;
        }
        let q = p + 1;
        while (q < end) {
          const d = text.charCodeAt(q);
          if (d === CH_DQUOTE || d === CH_BACKSLASH || d === CH_DOLLAR || d === 0 || d === CH_LF || d === CH_CR) break;
          q++;
        }
        this.appendRun(p, q);
        p = q;
        continue;
      }
      // Unquoted.
      if (c === CH_HASH || c === CH_SPACE || c === CH_TAB || c === 11 || c === 12) break;
      let q = p + 1;
      while (q < end) {
        const d = text.charCodeAt(q);
        if (d < 128 && CLASS[d] !== C_REGULAR) break;
        q++;
      }
      this.appendRun(p, q);
      p = q;
    }

    if ((dq || sq) && quotePos >= 0) {
      this.fail('unmatched quote', quotePos);
    }

    this.endPiece();
    const pieces = this.pieces;
    const srcText = text.slice(i, p);
    const split = pieces.length > 1;
    const envRefs = this.envRefs;
    for (const piece of pieces) {
      if (piece.slot >= MAX_LINE_WORDS) continue;
      let value = piece.value;
      let offsets: number[] | undefined = piece.offsets;
      if (piece.hasNul) {
        // The C string ends at the first NUL byte.
        const z = value.indexOf('\0');
        value = value.slice(0, z);
        offsets = offsets.slice(0, z);
      }
      const word: Word = new SourceWord(srcText, value, quoted, this.anchor, i);
      if (value !== srcText) word.offsets = offsets;
      if (split) word.splitFromExpansion = true;
      if (envRefs) word.envRefs = envRefs;
      this.addWord(word);
    }
    this.pieces = [];
    this.envRefs = undefined;
    return p;
  }

  /** A backslash at `p` outside single quotes. Returns the next offset. */
  escape(p: number, dq: boolean): number {
    const text = this.text;
    const n = p + 1 < this.end ? text.charCodeAt(p + 1) : -1;
    switch (n) {
      case CH_SPACE:
      case CH_BACKSLASH:
      case CH_HASH:
      case CH_SQUOTE:
      case CH_DQUOTE:
        this.appendChar(String.fromCharCode(n), p);
        return p + 2;
      case 116: // t
        this.appendChar('\t', p);
        return p + 2;
      case 110: // n
        this.appendChar('\n', p);
        return p + 2;
      case 114: // r
        this.appendChar('\r', p);
        return p + 2;
      case CH_DOLLAR:
        if (dq) {
          this.appendChar('$', p);
          return p + 2;
        }
        this.appendChar('\\', p);
        return p + 1;
      case 120: {
        // x
        const h1 = p + 2 < this.end ? hexVal(text.charCodeAt(p + 2)) : -1;
        const h2 = p + 3 < this.end ? hexVal(text.charCodeAt(p + 3)) : -1;
        if (h1 < 0 || h2 < 0) {
          this.fail('truncated or invalid hexadecimal sequence', p);
          this.appendChar('\\', p);
          return p + 1;
        }
        const b = (h1 << 4) | h2;
        if (b === 0) this.hasNul = true;
        this.appendChar(String.fromCharCode(b), p);
        return p + 4;
      }
      default:
        this.appendChar('\\', p);
        return p + 1;
    }
  }

  /** `$` at `p` inside double quotes. Returns the next offset. */
  expand(p: number): number {
    const text = this.text;
    const end = this.end;
    let q = p + 1;
    let brace = -1;
    if (q < end && text.charCodeAt(q) === CH_LBRACE) brace = q++;
    const c0 = q < end ? text.charCodeAt(q) : 0;
    if (!isAlpha(c0) && c0 !== 95 && c0 !== CH_DOT) {
      this.fail('forbidden first char in environment variable name', q);
      this.appendChar('$', p);
      return p + 1;
    }
    const nameStart = q;
    if (c0 === CH_DOT) q++;
    while (q < end) {
      const d = text.charCodeAt(q);
      if (isAlnum(d) || d === 95) q++;
      else break;
    }
    const name = text.slice(nameStart, q);
    let value: string | undefined;
    if (c0 === CH_DOT) {
      if (name === '.LINE') value = String(this.lineNo + 1);
      else if (name === '.FILE') value = this.ctx.file;
      else if (name === '.SECTION') value = this.ctx.section;
      else this.fail('forbidden first char in environment variable name', nameStart);
    } else {
      const v = this.ctx.env.vars[name];
      value = typeof v === 'string' ? v : undefined;
    }
    const found = value;
    let wordExpand = false;
    let fallback: string | undefined;
    if (brace >= 0) {
      if (q < end && text.charCodeAt(q) === CH_LBRACKET) {
        const wx = q;
        if (q + 2 < end && text.charCodeAt(q + 1) === CH_STAR && text.charCodeAt(q + 2) === CH_RBRACKET) {
          wordExpand = true;
          q += 3;
        } else {
          this.fail('truncated or invalid word expansion sequence', wx);
          q = this.skipToBrace(q);
        }
      }
      if (q < end && text.charCodeAt(q) === CH_DASH) {
        let r = q + 1;
        while (r < end && text.charCodeAt(r) !== CH_RBRACE) r++;
        if (r >= end) {
          this.fail('unmatched brace in environment variable name', brace);
          q = end;
        } else {
          fallback = text.slice(q + 1, r);
          if (value === undefined) value = fallback;
          q = r + 1;
        }
      } else if (q < end && text.charCodeAt(q) === CH_RBRACE) {
        q++;
      } else {
        this.fail('unmatched brace in environment variable name', brace);
      }
    }

    const ref: EnvRef = { name, range: this.range(p, q), value: found };
    if (fallback !== undefined) ref.fallback = fallback;
    (this.envRefs ??= []).push(ref);

    if (value) {
      if (!wordExpand) {
        this.val += value;
        const offs = this.offs;
        for (let k = 0; k < value.length; k++) offs.push(p);
      } else {
        let k = 0;
        while (k < value.length) {
          if (isSpace(value.charCodeAt(k))) {
            this.endPiece();
            this.nextSlot(p, q);
            k++;
            while (k < value.length && isSpace(value.charCodeAt(k))) k++;
          } else {
            this.appendChar(value[k]!, p);
            k++;
          }
        }
      }
    }
    return q;
  }

  /** Error recovery inside `${…}`: continue after the next `}` when there is one. */
  skipToBrace(q: number): number {
    let r = q;
    while (r < this.end && this.text.charCodeAt(r) !== CH_RBRACE) r++;
    return r;
  }
}

const tokenizer = new Tokenizer();
const NO_ERRORS: readonly LexError[] = Object.freeze([]);

/**
 * Tokenises `text[start, end)` — one line without its line ending — at 0-based `lineNo`.
 * The words point at `anchor` for their line number and start: the parser passes the line's own
 * object (whose `line` and `start` are `lineNo` and `start`); by default they get a small one.
 * Never throws.
 */
export function tokenizeLine(
  text: string,
  start: number,
  end: number,
  lineNo: number,
  context: LineContext,
  anchor: LineAnchor = { line: lineNo, start },
): TokenizedLine {
  return tokenizer.run(text, start, end, lineNo, context, anchor);
}
