// Small helpers shared by the keyword checks: the statements with their context (shared with the
// expression checks), naming proxies the way HAProxy does in its messages, and building fixes.
import type { Position, Range, Statement, Word } from '../../ast/nodes.js';
import type { Fix } from '../../diagnostics/diagnostic.js';
import type { Model, ProxyModel } from '../../model/types.js';
import type { StatementVisit } from '../statement-visits.js';

export { isSlashComment, statementVisits } from '../statement-visits.js';

/** What the keyword checks know about a statement (see ../statement-visits.ts). */
export type StatementContext = StatementVisit;

/** How HAProxy names a proxy in messages: `frontend 'fe'`, `backend 'be'`, `proxy 'li'` (listen). */
export function proxyLabel(proxy: ProxyModel): string {
  const type = proxy.kind === 'listen' ? 'proxy' : proxy.kind;
  return `${type} '${proxy.name}'`;
}

/** Words of a statement in order: modifier, keyword words, then all arguments (condition included). */
export function statementWords(stmt: Statement): Word[] {
  return stmt.line.words;
}

/**
 * The arguments 2.6 reads after the keyword. It strips a leading `default` by shifting the words
 * left without blanking the last slot, so after `default` the line's last word is read twice
 * (`default option httpclose` has one argument, `httpclose`; `default log global` has two).
 */
export function argumentsAsRead(stmt: Statement): readonly Word[] {
  if (stmt.modifier?.value !== 'default') return stmt.args;
  const words = stmt.line.words;
  return [...stmt.args, words[words.length - 1]!];
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


/** The first word after the keyword, or the keyword words when there is no argument. */
export function argOrKeywordRange(stmt: Statement, index = 0): Range {
  const w = stmt.args[index];
  return w ? w.range : wordsRange(stmt.keywordWords);
}

/** The range of the proxy's name (or its section keyword for anonymous defaults). */
export function proxyNameRange(proxy: ProxyModel): Range {
  return (proxy.nameWord ?? proxy.section.name ?? proxy.section.keyword).range;
}
