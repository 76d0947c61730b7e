// What the cursor stands on, worked out from the one AST line under it (its words, the section
// around it) and the catalogue, so half-typed lines still answer: a keyword being typed, an
// action, the n-th argument of a keyword or action, a condition (ACL names, `{ criterion flags }`),
// or a place inside a sample expression (fetch, converter, call argument). Completion and
// signature help read it.
import { catalogue, type ConfigFile, type Line, type ProxyModel, type RuleSet, type Section, type Statement, type Word } from '@haplo/parser';
import type { Position as LspPosition } from 'vscode-languageserver';
import type { Analysis } from './workspace.js';
import { proxyOfSection, sectionAt, statementAt, wordAt } from './positions.js';

/** Where inside a sample expression (`fetch(args),conv(args)`) the cursor is. */
export type SamplePosition =
  | { at: 'fetch' }
  | { at: 'converter' }
  | { at: 'arg'; call: string; converter: boolean; index: number };

export type ArgOwner =
  | { kind: 'keyword'; spec: catalogue.KeywordSpec }
  | { kind: 'action'; spec: catalogue.ActionSpec; ruleSet: RuleSet };

export type CursorKind =
  | { kind: 'none' }
  /** The first word of a line (`headers`: section headers are offered too). */
  | { kind: 'keyword'; typed: string[]; headers: boolean }
  | { kind: 'directive' }
  | { kind: 'header-from' }
  | { kind: 'action'; ruleSet: RuleSet }
  | { kind: 'argument'; owner: ArgOwner; index: number; previous?: string }
  | { kind: 'acl-name' }
  | { kind: 'acl-flag' }
  | { kind: 'match-method' }
  | { kind: 'sample'; sample: SamplePosition; aclKeywords: boolean; owner?: ArgOwner; index?: number };

export interface CursorContext {
  file: ConfigFile;
  line: Line;
  section?: Section;
  statement?: Statement;
  proxy?: ProxyModel;
  /** The columns the completion replaces on the cursor's line. */
  from: number;
  to: number;
  /** What is typed of the token before the cursor. */
  prefix: string;
  /** The word the cursor touches, if any. */
  word?: Word;
  what: CursorKind;
}

const NONE: CursorKind = { kind: 'none' };
const CONDITION_WORDS = new Set(['if', 'unless']);
const FLAGS_WITH_ARG = new Set(['-m', '-f', '-M', '-u']);
const IDENT = /[A-Za-z0-9_.\-]/;

/** Every keyword family prefix (`timeout`, `capture request`) per table, built once. */
const familyCache = new Map<string, Set<string>>();
function families(kind: Section['kind'] | undefined): Set<string> {
  const key = kind ?? '';
  let set = familyCache.get(key);
  if (!set) {
    set = new Set();
    const specs = kind ? catalogue.keywordsFor(kind) : catalogue.keywordSpecs;
    for (const s of specs) {
      const parts = s.name.split(' ');
      for (let i = 1; i < parts.length; i++) set.add(parts.slice(0, i).join(' '));
    }
    familyCache.set(key, set);
  }
  return set;
}

/** True when `words` is the start of a multi-word keyword of this section kind. */
export function isKeywordFamily(kind: Section['kind'] | undefined, words: readonly string[]): boolean {
  return families(kind).has(words.join(' '));
}

export function cursorContext(analysis: Analysis, pos: LspPosition): CursorContext | undefined {
  const file = analysis.file;
  // The empty line after the final newline has no Line of its own.
  const line = file.lines[pos.line] ?? (pos.line === file.lines.length ? emptyLine(file, pos.line) : undefined);
  if (!line) return undefined;
  const col = pos.character;
  const section = sectionAt(file, pos.line);
  const statement = statementAt(section, pos.line);
  const proxy = proxyOfSection(analysis.model, section);
  const base = { file, line, section, statement, proxy };
  if (line.comment && col > line.comment.range.start.column) return { ...base, from: col, to: col, prefix: '', what: NONE };

  const { index, word } = wordAt(line, col);
  const from = word ? word.range.start.column : col;
  const to = word ? word.range.end.column : col;
  const prefix = word ? word.text.slice(0, col - from) : '';
  const ctx: CursorContext = { ...base, from, to, prefix, word, what: NONE };
  const words = line.words.slice(0, index);
  const values = words.map((w) => (w.quoted ? `"${w.value}"` : w.value));

  if (index === 0) {
    if (prefix.startsWith('.') || line.kind === 'directive') ctx.what = { kind: 'directive' };
    else ctx.what = { kind: 'keyword', typed: [], headers: line.indent === '' || !section };
    return ctx;
  }
  if (line.kind === 'directive' || values[0]!.startsWith('.')) return ctx;
  if (section && section.header.line === pos.line) {
    if (values[index - 1] === 'from') ctx.what = { kind: 'header-from' };
    return ctx;
  }

  const kind = section?.kind;
  const isProxy = kind === 'defaults' || kind === 'frontend' || kind === 'backend' || kind === 'listen';
  const kwStart = isProxy && (values[0] === 'no' || values[0] === 'default') ? 1 : 0;
  const typed = values.slice(kwStart);
  if (typed.length === 0 || isKeywordFamily(kind, typed)) {
    ctx.what = { kind: 'keyword', typed, headers: false };
    return ctx;
  }
  const found = catalogue.findKeyword(kind, typed);
  if (!found) return ctx;
  const kwEnd = kwStart + found.wordCount;
  const argWords = words.slice(kwEnd);
  const ruleSet = catalogue.ruleSetOf(found.spec.name.split(' '));

  if (ruleSet && argWords.length === 0) {
    ctx.what = { kind: 'action', ruleSet };
    return ctx;
  }
  // A condition starts at an unquoted if/unless (after the action for rule sets).
  const firstCondCandidate = ruleSet ? 1 : 0;
  if (found.spec.condition || ruleSet) {
    for (let i = firstCondCandidate; i < argWords.length; i++) {
      const w = argWords[i]!;
      if (!w.quoted && CONDITION_WORDS.has(w.value)) {
        conditionContext(ctx, argWords.slice(i + 1), col);
        return ctx;
      }
    }
  }

  let owner: ArgOwner = { kind: 'keyword', spec: found.spec };
  let argIndex = argWords.length;
  if (ruleSet) {
    const action = catalogue.getAction(ruleSet, argWords[0]!.value);
    if (!action) return ctx;
    owner = { kind: 'action', spec: action, ruleSet };
    argIndex = argWords.length - 1;
  }
  if (found.spec.name === 'acl') {
    if (argIndex === 1) sampleContext(ctx, prefix, col, true);
    else if (argIndex > 1) aclTail(ctx, argWords.slice(2));
    return ctx;
  }
  const args = owner.spec.args ?? [];
  const spec = args[Math.min(argIndex, args.length - 1)];
  const applies = spec && (argIndex < args.length || spec.repeat);
  // `%[…]` inside any argument is a sample expression.
  const open = prefix.lastIndexOf('%[');
  if (open >= 0 && prefix.indexOf(']', open) < 0) {
    sampleContext(ctx, prefix.slice(open + 2), col, false, open + 2);
    if (ctx.what.kind === 'sample') ctx.what = { ...ctx.what, owner, index: argIndex };
    return ctx;
  }
  if (applies && spec.type === 'sample') {
    sampleContext(ctx, prefix, col, false);
    if (ctx.what.kind === 'sample') ctx.what = { ...ctx.what, owner, index: argIndex };
    return ctx;
  }
  ctx.what = { kind: 'argument', owner, index: argIndex, previous: argWords[argWords.length - 1]?.value };
  return ctx;
}

function emptyLine(file: ConfigFile, line: number): Line {
  const at = { line, column: 0, offset: file.text.length };
  return { kind: 'blank', line, range: { start: at, end: at }, indent: '', words: [], active: true };
}

/** After `if`/`unless`: ACL names outside braces; criterion, flags and `-m` methods inside. */
function conditionContext(ctx: CursorContext, condWords: Word[], col: number): void {
  let brace: Word[] | undefined;
  for (const w of condWords) {
    if (!w.quoted && (w.value === '{' || w.value === '!{')) brace = [];
    else if (!w.quoted && w.value === '}') brace = undefined;
    else brace?.push(w);
  }
  if (brace) {
    if (brace.length === 0) sampleContext(ctx, ctx.prefix, col, true);
    else aclTail(ctx, brace.slice(1));
    return;
  }
  if (ctx.prefix === '{' || ctx.prefix === '!{' || ctx.prefix === '}') return;
  if (ctx.prefix.startsWith('!')) ctx.from += 1;
  ctx.what = { kind: 'acl-name' };
}

/** The words after an ACL criterion: flags, `-m <method>`, then patterns (nothing to offer). */
function aclTail(ctx: CursorContext, after: Word[]): void {
  let i = 0;
  while (i < after.length) {
    const v = after[i]!.value;
    if (v === '--' || !v.startsWith('-')) return;
    if (FLAGS_WITH_ARG.has(v)) {
      if (i === after.length - 1) {
        if (v === '-m') ctx.what = { kind: 'match-method' };
        return;
      }
      i += 2;
    } else i += 1;
  }
  if (ctx.prefix === '' || ctx.prefix.startsWith('-')) ctx.what = { kind: 'acl-flag' };
}

/**
 * Places the cursor inside the sample expression `text` (what is written from the expression's
 * start to the cursor); `offset` is where the text starts in the word.
 */
function sampleContext(ctx: CursorContext, text: string, col: number, aclKeywords: boolean, offset = 0): void {
  const word = ctx.word;
  if (text.startsWith('"') || text.startsWith("'")) {
    text = text.slice(1);
    offset += 1;
  }
  let depth = 0;
  let callStart = 0;
  let parenAt = -1;
  let argStart = 0;
  let argIndex = 0;
  let converter = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') {
      if (depth === 0) {
        parenAt = i;
        argStart = i + 1;
        argIndex = 0;
      }
      depth++;
    } else if (c === ')') {
      if (depth > 0) depth--;
    } else if (c === ',') {
      if (depth === 0) {
        callStart = i + 1;
        converter = true;
        parenAt = -1;
      } else if (depth === 1) {
        argIndex++;
        argStart = i + 1;
      }
    }
  }
  const wordStart = word ? word.range.start.column : col;
  let sample: SamplePosition;
  let start: number;
  if (depth > 0 && parenAt >= 0) {
    sample = { at: 'arg', call: text.slice(callStart, parenAt), converter, index: argIndex };
    start = argStart;
  } else if (depth === 0) {
    sample = converter ? { at: 'converter' } : { at: 'fetch' };
    start = callStart;
  } else return;
  ctx.from = wordStart + offset + start;
  // Replace the rest of the identifier after the cursor too.
  let end = col;
  const tail = word ? word.text.slice(col - wordStart) : '';
  for (const c of tail) {
    if (!IDENT.test(c)) break;
    end++;
  }
  ctx.to = end;
  ctx.prefix = text.slice(start);
  ctx.what = { kind: 'sample', sample, aclKeywords };
}
