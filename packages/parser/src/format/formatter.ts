// `haplo fmt`: a lossless, idempotent re-layout of one file. It only changes blanks (indentation,
// separators, blank lines, line endings); every word is written back as its source text, so
// HAProxy sees the same words, whatever the environment, and comments and `.if` blocks survive.
//
// Rules (all purely syntactic, so the output never depends on the environment):
//  * Lines are classified by their first word: a section keyword (`global`, `backend`, …) makes a
//    header, a word starting with `.` a directive, anything else a statement; lines without words
//    are comments or blanks. Inactive lines (untaken `.if` branches) are classified the same way.
//  * Headers go at column 0. Statements go 4 spaces in once a header was seen, at column 0 before.
//  * Comment and directive lines go 4 spaces in inside a section and at column 0 before the first
//    header, except that a run of comment/directive lines directly followed (no blank line in
//    between) by a header goes at column 0: it introduces that section. `.elif`, `.else` and
//    `.endif` take the indentation of their `.if`, so a block's markers line up; the lines inside
//    a `.if` are not indented further.
//  * A normal line is written as its words' source texts separated by one space, then its comment
//    (trimmed) after one more space. A word that `${VAR[*]}` split into several is written once.
//    After a word ending with a lone backslash a TAB separator stays a TAB (`\ ` would escape).
//  * Lines with a lexical error are copied verbatim. Inactive lines, lines with a CR in the middle
//    and lines at the 64-word limit keep their text after the indentation as written.
//  * Runs of blank lines collapse to one; leading and trailing blank lines go (all blank lines are
//    kept, except trailing ones, when the file uses `${.LINE}`, whose value is a line number).
//  * Line endings become LF, trailing CRs and (where harmless) trailing blanks go, and a non-empty
//    result ends with exactly one `\n`. A file without any content formats to the empty string.
//
// Lines are tokenized here with `tokenizeLine` in a fixed, empty environment rather than through
// `parseConfig`: no statements are built (100,000 lines format in well under 200 ms), and the
// `.if` tracking below only decides which lines are inactive, i.e. kept as written.
import type { Word } from '../ast/nodes.js';
import { defaultEnvironment, type Environment } from '../lexer/environment.js';
import { evaluateIfCondition } from '../lexer/if-condition.js';
import { MAX_LINE_WORDS, tokenizeLine, type TokenizedLine } from '../lexer/line-tokenizer.js';
import { SECTION_KEYWORDS } from '../parse/sections.js';

/** The indentation of statements inside a section. */
const INDENT = '    ';

/** A fixed, empty environment: formatting must not depend on the caller's variables. */
const FORMAT_ENV: Environment = defaultEnvironment({});

type Role = 'blank' | 'comment' | 'directive' | 'header' | 'statement';

interface Entry {
  role: Role;
  /** How the line is written: normalised, indentation only, or copied verbatim. */
  mode: 'normal' | 'reindent' | 'verbatim';
  /** For directives: the first word's value (`.if`, `.endif`, …). */
  name: string;
  /** The line as written after its indentation (or the whole line, when verbatim). */
  body: string;
}

interface IfFrame {
  parentActive: boolean;
  taken: boolean;
  active: boolean;
  sawElse: boolean;
}

export function formatSource(text: string, path: string): string {
  try {
    return format(text, path);
  } catch {
    // Never throw on user text: fall back to the minimal, always-safe normalisation.
    return fallback(text);
  }
}

function format(text: string, path: string): string {
  const entries = scan(text, path);
  const indents = computeIndents(entries);
  const keepBlankLines = text.includes('.LINE');
  const out: string[] = [];
  let pendingBlank = false;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.role === 'blank') {
      if (keepBlankLines) out.push('');
      else if (out.length > 0) pendingBlank = true;
      continue;
    }
    if (pendingBlank) {
      out.push('');
      pendingBlank = false;
    }
    out.push(e.mode === 'verbatim' || e.body === '' ? e.body : indents[i]! + e.body);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.length === 0 ? '' : out.join('\n') + '\n';
}

/**
 * Splits and tokenizes the lines as `parseConfig` does (with the fixed environment) and follows
 * `.if` blocks just far enough to know which lines HAProxy would skip. No statements are built.
 */
function scan(text: string, path: string): Entry[] {
  const entries: Entry[] = [];
  const stack: IfFrame[] = [];
  let aborted = false;
  // `${.SECTION}` reads as empty: only `.if` conditions could see it, and they only decide
  // which lines are kept as written.
  const context = { env: FORMAT_ENV, file: path, section: '' };
  const length = text.length;
  let start = 0;
  let lineNo = 0;
  while (start < length) {
    let end = text.indexOf('\n', start);
    const next = end < 0 ? length : end + 1;
    if (end < 0) end = length;
    const active = !aborted && (stack.length === 0 || stack[stack.length - 1]!.active);
    const tok = tokenizeLine(text, start, end, lineNo, context);
    let rawEnd = end;
    while (rawEnd > start && text.charCodeAt(rawEnd - 1) === 13) rawEnd--;
    const raw = text.slice(start, rawEnd);
    const words = tok.words;

    let role: Role;
    if (words.length === 0) role = tok.comment ? 'comment' : 'blank';
    else {
      const first = words[0]!.value;
      if (first.startsWith('.')) role = 'directive';
      else if (SECTION_KEYWORDS.has(first)) role = 'header';
      else role = 'statement';
    }
    let mode: Entry['mode'] = 'normal';
    if (tok.errors.length > 0) {
      mode = 'verbatim';
      if (role === 'blank') role = 'statement'; // e.g. a lone NUL: content, not a blank line
    } else if (!active) mode = 'reindent';
    else if (hasInnerCr(raw, tok.indent.length)) mode = 'reindent';
    else if (tok.words.length >= MAX_LINE_WORDS - 1) mode = 'reindent';
    const name = role === 'directive' ? words[0]!.value : '';
    entries.push({ role, mode, name, body: render(mode, raw, tok, start) });

    if (role === 'directive' && !aborted) aborted = directive(tok.words, active);
    start = next;
    lineNo++;
  }
  return entries;

  /** Follows one directive; returns true when HAProxy stops reading the file there. */
  function directive(words: Word[], active: boolean): boolean {
    const name = words[0]!.value;
    const args = words.slice(1);
    const top = stack[stack.length - 1];
    const evaluate = (): boolean | undefined => {
      const r = evaluateIfCondition(args, FORMAT_ENV);
      return 'error' in r ? undefined : r.value;
    };
    switch (name) {
      case '.if': {
        const value = active ? evaluate() : false;
        if (value === undefined) return true;
        stack.push({ parentActive: active, taken: value, active: active && value, sawElse: false });
        return false;
      }
      case '.elif': {
        if (!top || top.sawElse) return true;
        const value = top.parentActive && !top.taken ? evaluate() : false;
        if (value === undefined) return true;
        top.active = value;
        top.taken ||= value;
        return false;
      }
      case '.else':
        if (!top || top.sawElse) return true;
        top.active = top.parentActive && !top.taken;
        top.taken = true;
        top.sawElse = true;
        return false;
      case '.endif':
        if (!top) return true;
        stack.pop();
        return false;
      case '.alert':
        return active && args.length === 1;
      default:
        return false;
    }
  }
}

/** Indentation per line, from the rules in the header comment. */
function computeIndents(entries: Entry[]): string[] {
  const n = entries.length;
  const indents: string[] = new Array(n);
  // Whether a comment/directive run starting at i is directly followed by a header, computed
  // backwards: introducesHeader[i] is true when lines i.. up to a header are comments/directives.
  const introducesHeader: boolean[] = new Array(n);
  let next = false;
  for (let i = n - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (e.role === 'header') next = true;
    else if ((e.role === 'comment' || e.role === 'directive') && e.mode !== 'verbatim') {
      // `next` carries through
    } else next = false;
    introducesHeader[i] = next;
  }

  let inSection = false;
  const ifIndents: string[] = [];
  for (let i = 0; i < n; i++) {
    const e = entries[i]!;
    let indent = '';
    switch (e.role) {
      case 'header':
        inSection = true;
        indent = '';
        break;
      case 'statement':
        indent = inSection ? INDENT : '';
        break;
      case 'blank':
        indent = '';
        break;
      case 'comment':
        indent = inSection && !introducesHeader[i] ? INDENT : '';
        break;
      case 'directive': {
        const base = inSection && !introducesHeader[i] ? INDENT : '';
        const name = e.name;
        if (name === '.if') {
          indent = base;
          ifIndents.push(base);
        } else if (name === '.elif' || name === '.else') {
          indent = ifIndents.length > 0 ? ifIndents[ifIndents.length - 1]! : base;
        } else if (name === '.endif') {
          indent = ifIndents.length > 0 ? ifIndents.pop()! : base;
        } else indent = base;
        break;
      }
    }
    indents[i] = indent;
  }
  return indents;
}

/** Whether a CR stands after the indentation and before the last non-blank character. */
function hasInnerCr(raw: string, from: number): boolean {
  const cr = raw.indexOf('\r', from);
  return cr >= 0 && cr < trimBlanksEnd(raw, 0).length;
}

/** Drops the ASCII blanks HAProxy skips (space, TAB, VT, FF, CR) from the end of `s`, keeping at least `keep` chars. */
function trimBlanksEnd(s: string, keep: number): string {
  let end = s.length;
  while (end > keep) {
    const c = s.charCodeAt(end - 1);
    if (c === 32 || (c >= 9 && c <= 13 && c !== 10)) end--;
    else break;
  }
  return end === s.length ? s : s.slice(0, end);
}

/**
 * The line after its indentation, or the whole line when `mode` is verbatim. `start` is the
 * offset of the line in the file (word ranges are file offsets).
 */
function render(mode: Entry['mode'], raw: string, tok: TokenizedLine, start: number): string {
  if (mode === 'verbatim') return raw;
  const words = tok.words;
  if (mode === 'reindent') {
    const rest = raw.slice(tok.indent.length);
    // Trailing blanks open an argument slot, which only matters at the 64-word limit.
    if (words.length >= MAX_LINE_WORDS - 2 || rest.includes('[*]')) return rest;
    // Never trim into a word: `a\ ` ends with an escaped space.
    const keep = words.length > 0 ? words[words.length - 1]!.range.end.offset - start - tok.indent.length : 0;
    return trimBlanksEnd(rest, keep);
  }
  const canonical = canonicalBody(raw, tok);
  if (canonical !== undefined) return canonical;
  let s = '';
  let lastStart = -1;
  let sep = ' ';
  for (let k = 0; k < words.length; k++) {
    const w = words[k]!;
    // The pieces of one `${VAR[*]}` word share its source range: write the source once.
    if (w.splitFromExpansion && w.range.start.offset === lastStart) continue;
    lastStart = w.range.start.offset;
    s = k > 0 ? s + sep + w.text : w.text;
    sep = separatorAfter(w, raw, start);
  }
  if (tok.comment) {
    const c = trimBlanksEnd(tok.comment.text, 1);
    s = s === '' ? c : s + sep + c;
  }
  return s;
}

/**
 * One space, except after a word ending with a backslash that did not escape what followed
 * (`a\<TAB>b`): a space there would become the escape `\ `, so the blank as written is kept.
 */
function separatorAfter(w: Word, raw: string, start: number): string {
  const t = w.text;
  if (t.charCodeAt(t.length - 1) !== 92) return ' ';
  const c = raw.charAt(w.range.end.offset - start);
  return c === '\t' || c === '\v' || c === '\f' ? c : ' ';
}

/**
 * The common case, a line already written with single spaces: its text after the indentation,
 * sliced rather than rebuilt. Compares texts only (no word ranges, no per-word strings), which
 * matters on very large files. The result is exactly what the general path would build.
 */
function canonicalBody(raw: string, tok: TokenizedLine): string | undefined {
  const words = tok.words;
  if (words.length === 0) return undefined;
  let pos = tok.indent.length;
  for (let k = 0; k < words.length; k++) {
    const w = words[k]!;
    if (w.splitFromExpansion) return undefined;
    if (k > 0) {
      if (raw.charCodeAt(pos) !== 32) return undefined;
      pos++;
    }
    if (!raw.startsWith(w.text, pos)) return undefined;
    pos += w.text.length;
  }
  if (tok.comment) {
    const c = tok.comment.text;
    if (raw.charCodeAt(pos) !== 32 || !raw.startsWith(c, pos + 1)) return undefined;
    pos += 1 + c.length;
    const last = c.charCodeAt(c.length - 1);
    if (last === 32 || (last >= 9 && last <= 13)) return undefined;
  }
  return pos === raw.length ? raw.slice(tok.indent.length) : undefined;
}

/** Used only if formatting itself failed: LF endings, no trailing CRs, one final newline. */
function fallback(text: string): string {
  const lines = text.split('\n').map(trimCrEnd);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}

function trimCrEnd(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 13) end--;
  return s.slice(0, end);
}
