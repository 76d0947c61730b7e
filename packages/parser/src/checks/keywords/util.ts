// Small helpers shared by the keyword checks: walking every statement once with its context,
// naming proxies the way HAProxy does in its messages, and building replacement fixes.
import type { Position, Range, Section, Statement, Word } from '../../ast/nodes.js';
import { findKeyword } from '../../catalogue/index.js';
import type { KeywordSpec } from '../../catalogue/types.js';
import type { Fix } from '../../diagnostics/diagnostic.js';
import type { Model, ProxyModel } from '../../model/types.js';

export interface StatementContext {
  stmt: Statement;
  file: string;
  /** Undefined for a statement written before any section. */
  section?: Section;
  /** The proxy (or defaults) the statement belongs to, for proxy sections. */
  proxy?: ProxyModel;
}

/** Calls `fn` for every statement of the model: orphans first per file, then sections in load order. */
export function forEachStatement(model: Model, fn: (ctx: StatementContext) => void): void {
  for (const file of model.files) {
    for (const stmt of file.orphans) fn({ stmt, file: file.path });
  }
  const proxyBySection = proxiesBySection(model);
  for (const section of model.sections) {
    // One context object per section, updated in place (callers must not keep it).
    const ctx: StatementContext = { stmt: undefined as unknown as Statement, file: section.file, section, proxy: proxyBySection.get(section) };
    for (const stmt of section.statements) {
      ctx.stmt = stmt;
      fn(ctx);
    }
  }
}

const keywordMemo = new WeakMap<Statement, { spec: KeywordSpec; wordCount: number } | null>();

/**
 * The catalogue entry of a statement's keyword when its keyword words name exactly one known
 * keyword of the section (memoised: several checks ask for the same statement).
 */
export function knownKeyword(section: Section | undefined, stmt: Statement): KeywordSpec | undefined {
  if (!section) return undefined;
  let found = keywordMemo.get(stmt);
  if (found === undefined) {
    const kw = stmt.keywordWords.map((w) => w.value);
    const f = kw.length ? findKeyword(section.kind, kw) : undefined;
    found = f && f.wordCount === kw.length ? f : null;
    keywordMemo.set(stmt, found);
  }
  return found?.spec;
}

const cache = new WeakMap<Model, Map<Section, ProxyModel>>();

/** The proxy model of each proxy section (defaults included). */
export function proxiesBySection(model: Model): Map<Section, ProxyModel> {
  let m = cache.get(model);
  if (!m) {
    m = new Map();
    for (const p of model.defaults) m.set(p.section, p);
    for (const p of model.proxies) m.set(p.section, p);
    cache.set(model, m);
  }
  return m;
}

/** How HAProxy names a proxy in messages: `frontend 'fe'`, `backend 'be'`, `proxy 'li'` (listen). */
export function proxyLabel(proxy: ProxyModel): string {
  const type = proxy.kind === 'listen' ? 'proxy' : proxy.kind;
  return `${type} '${proxy.name}'`;
}

/** Words of a statement in order: modifier, keyword words, then all arguments (condition included). */
export function statementWords(stmt: Statement): Word[] {
  return stmt.line.words;
}

export function wordsRange(words: readonly Word[]): Range {
  return { start: words[0]!.range.start, end: words[words.length - 1]!.range.end };
}

export function replaceFix(title: string, file: string, range: Range, newText: string): Fix {
  return { title, edits: [{ file, range, newText }] };
}

/** A position `delta` characters after `pos` on the same line. */
export function shift(pos: Position, delta: number): Position {
  return { line: pos.line, column: pos.column + delta, offset: pos.offset + delta };
}

/** The file text of a model file (empty when unknown). */
export function fileText(model: Model, path: string): string {
  for (const f of model.files) if (f.path === path) return f.text;
  return '';
}

/**
 * Where the line after `range` starts, for inserting lines there. `prefix` is `'\n'` when the
 * line is the last one and has no line ending (then the insertion goes at the end of the text).
 */
export function nextLineStart(text: string, range: Range): { pos: Position; prefix: string } {
  const nl = text.indexOf('\n', range.end.offset);
  if (nl < 0) return { pos: { line: range.end.line, column: range.end.column + (text.length - range.end.offset), offset: text.length }, prefix: '\n' };
  return { pos: { line: range.end.line + 1, column: 0, offset: nl + 1 }, prefix: '' };
}

/** The range of a whole line including its line ending, to delete it. */
export function wholeLineRange(stmt: Statement, text: string): Range {
  const r = stmt.line.range;
  const start = { line: r.start.line, column: 0, offset: r.start.offset - r.start.column };
  const next = nextLineStart(text, r);
  return { start, end: next.prefix ? r.end : next.pos };
}

/** Whether the statement's first word starts with `//` (handled by the comment-style check only). */
export function isSlashComment(stmt: Statement): boolean {
  const first = stmt.line.words[0];
  return first !== undefined && first.text.startsWith('//');
}

/** The first word after the keyword, or the keyword words when there is no argument. */
export function argOrKeywordRange(stmt: Statement, index = 0): Range {
  const w = stmt.args[index];
  return w ? w.range : wordsRange(stmt.keywordWords);
}

/** The range of the proxy's name (or its section keyword for anonymous defaults). */
export function proxyNameRange(proxy: ProxyModel): Range {
  return (proxy.nameWord ?? proxy.section.name ?? proxy.section.keyword).range;
}
