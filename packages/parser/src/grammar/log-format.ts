// Log-format strings (`set-header X %[src]`, `log-format "%ci:%cp [%t] %[path]"`): literal
// text, `%[sample]` expressions and `%{flags}var` variables, each with its own range.
import type { LogFormat, LogFormatPart, Range, SampleExpr, Word } from '../ast/nodes.js';
import { WordSlice, exactSize } from '../ast/ranges.js';
import { parseSampleExpression, type SampleSyntaxError } from './sample-expression.js';
import { intern } from '../lexer/intern.js';

class TextPart extends WordSlice {
  readonly kind = 'text';
  constructor(public text: string, word: Word, from: number, to: number) {
    super(word, from, to);
  }
}

class SamplePart extends WordSlice {
  readonly kind = 'sample';
  constructor(public expr: SampleExpr | undefined, public text: string, word: Word, from: number, to: number) {
    super(word, from, to);
  }
}

class VariablePart extends WordSlice {
  readonly kind = 'variable';
  constructor(public name: string, public flags: string, public text: string, word: Word, from: number, to: number) {
    super(word, from, to);
  }
}

/** The whole string's range is the word's, built when read. */
class Format implements LogFormat {
  constructor(public parts: LogFormatPart[], private readonly word: Word) {}

  get range(): Range {
    return this.word.range;
  }
}

export interface LogFormatParse {
  format: LogFormat;
  errors: SampleSyntaxError[];
}

function isVarChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

export function parseLogFormat(word: Word): LogFormatParse {
  const v = word.value;
  const parts: LogFormatPart[] = [];
  const errors: SampleSyntaxError[] = [];
  let textStart = 0;
  let i = 0;
  const flushText = (end: number): void => {
    if (end > textStart) parts.push(new TextPart(intern(v, textStart, end), word, textStart, end));
  };
  while (i < v.length) {
    if (v.charCodeAt(i) !== 37 /* % */) {
      i++;
      continue;
    }
    const percent = i;
    if (v.charCodeAt(i + 1) === 37) {
      i += 2; // `%%` is a literal percent sign, kept in the text part
      continue;
    }
    flushText(percent);
    let j = i + 1;
    let flags = '';
    if (v.charCodeAt(j) === 123 /* { */) {
      const close = v.indexOf('}', j);
      if (close < 0) {
        errors.push({ message: `missing '}' after '%{'`, from: j, to: v.length });
        textStart = i = v.length;
        break;
      }
      flags = v.slice(j + 1, close);
      j = close + 1;
    }
    if (v.charCodeAt(j) === 91 /* [ */) {
      const parsed = parseSampleExpression(word, j + 1, v.length, true);
      if (parsed.error) errors.push(parsed.error);
      let end = parsed.end;
      if (!parsed.error && v.charCodeAt(end) !== 93) {
        errors.push({ message: `missing ']' after '${v.slice(j + 1, end)}'`, from: j + 1, to: end });
      }
      if (v.charCodeAt(end) === 93) end++;
      else if (parsed.error) end = Math.max(end, v.indexOf(']', j) + 1 || v.length);
      parts.push(new SamplePart(parsed.error ? undefined : parsed.expr, intern(v, percent, end), word, percent, end));
      i = textStart = end;
      continue;
    }
    const nameStart = j;
    while (j < v.length && isVarChar(v.charCodeAt(j))) j++;
    if (j === nameStart) {
      errors.push({ message: `'%' must be followed by a variable name, '[' or '%'; write '%%' for a literal percent sign`, from: percent, to: percent + 1 });
      i = textStart = j;
      continue;
    }
    parts.push(new VariablePart(intern(v, nameStart, j), flags, intern(v, percent, j), word, percent, j));
    i = textStart = j;
  }
  flushText(v.length);
  return { format: new Format(exactSize(parts), word), errors };
}

/** True when the word holds something a log-format parser would interpret. */
export function looksLikeLogFormat(value: string): boolean {
  return value.includes('%');
}
