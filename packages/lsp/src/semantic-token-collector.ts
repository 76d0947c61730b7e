// What each piece of a file is, for semantic highlighting: read from the AST (keywords, fetches,
// converters, condition operators, directives, quoted words, numbers, comments, `${VAR}`) and the
// symbol table (proxy, server, ACL, section and variable names, with `declaration` where they are
// declared). Pieces may overlap (a fetch inside a quoted word): each has a priority and a
// lower-priority piece keeps only the characters no higher one claimed, so the result never
// overlaps. Lines in a `.if` branch that is not taken yield only their comments.
import type { AclExpr, Condition, ConfigFile, Range, Section, SampleExpr, Statement, SymbolKind, Word } from '@haplo/parser';
import { catalogue } from '@haplo/parser';
import { MODIFIER_BIT, TYPE_INDEX, type TokenType } from './semantic-legend.js';
import type { Analysis } from './workspace.js';

/** A token on one line, in UTF-16 columns. */
export interface SemanticToken {
  line: number;
  start: number;
  length: number;
  type: number;
  modifiers: number;
}

interface Piece {
  line: number;
  start: number;
  end: number;
  type: number;
  modifiers: number;
  priority: number;
}

const PRIORITY = { literal: 1, word: 5, condition: 6, name: 7, env: 9, comment: 10 } as const;

const NAME_TYPE: Partial<Record<SymbolKind, TokenType>> = {
  proxy: 'class', defaults: 'class', table: 'class', server: 'property', user: 'property', group: 'property', acl: 'variable',
  env: 'parameter', userlist: 'namespace', peers: 'namespace', resolvers: 'namespace', mailers: 'namespace',
  'http-errors': 'namespace', cache: 'namespace', ring: 'namespace', program: 'namespace', 'fcgi-app': 'namespace',
  'log-forward': 'namespace',
};

const NUMBER_RE = /^-?\d+(\.\d+)?(us|ms|s|m|h|d|k|K|M|g|G)?$/;
const PREDICATE_RE = /^([a-z_]+)\(/;

class Collector {
  readonly pieces: Piece[] = [];

  push(range: Range | undefined, type: TokenType, priority: number, modifiers = 0): void {
    if (!range || range.start.line !== range.end.line || range.end.column <= range.start.column) return;
    this.pieces.push({ line: range.start.line, start: range.start.column, end: range.end.column, type: TYPE_INDEX[type], modifiers, priority });
  }

  literal(word: Word): void {
    if (word.quoted) this.push(word.range, 'string', PRIORITY.literal);
    else if (NUMBER_RE.test(word.value)) this.push(word.range, 'number', PRIORITY.literal);
    for (const e of word.envRefs ?? []) this.push(e.range, 'parameter', PRIORITY.env);
  }

  sample(expr: SampleExpr): void {
    const fetch = expr.fetch;
    const deprecated = catalogue.getFetch(fetch.name)?.deprecated ? MODIFIER_BIT.deprecated : 0;
    this.push(fetch.nameRange, 'function', PRIORITY.word, deprecated);
    for (const c of expr.converters) {
      this.push(c.nameRange, 'method', PRIORITY.word, catalogue.getConverter(c.name)?.deprecated ? MODIFIER_BIT.deprecated : 0);
    }
  }

  aclExpr(expr: AclExpr): void {
    this.sample(expr.criterion);
    for (const f of expr.flags) this.push(f.flag.range, 'operator', PRIORITY.word);
    if (expr.operator) this.push(expr.operator.range, 'operator', PRIORITY.word);
  }

  condition(cond: Condition): void {
    this.push(cond.keyword.range, 'keyword', PRIORITY.word);
    for (const w of cond.orWords) this.push(w.range, 'operator', PRIORITY.condition);
    for (const group of cond.groups) {
      for (const term of group) {
        if (term.negated) this.push({ start: term.range.start, end: term.kind === 'ref' ? term.nameRange.start : term.open.range.start }, 'operator', PRIORITY.condition);
        if (term.kind === 'ref') {
          const predefined = catalogue.getPredefinedAcl(term.name.value) ? MODIFIER_BIT.defaultLibrary : 0;
          this.push(term.nameRange, 'variable', PRIORITY.condition, predefined);
        } else {
          this.push(term.open.range, 'operator', PRIORITY.condition);
          if (term.close) this.push(term.close.range, 'operator', PRIORITY.condition);
          if (term.expr) this.aclExpr(term.expr);
        }
      }
    }
  }

  statement(section: Section, stmt: Statement): void {
    if (stmt.modifier) this.push(stmt.modifier.range, 'keyword', PRIORITY.word);
    const found = catalogue.findKeyword(section.kind, stmt.keywordWords.map((w) => w.value));
    const deprecated = found?.spec.deprecated ? MODIFIER_BIT.deprecated : 0;
    for (const w of stmt.keywordWords) this.push(w.range, 'keyword', PRIORITY.word, deprecated);
    if (stmt.type === 'rule' && stmt.action) {
      const action = catalogue.getAction(stmt.ruleSet, stmt.actionName);
      this.push(stmt.action.range, 'keyword', PRIORITY.word, action?.deprecated ? MODIFIER_BIT.deprecated : 0);
    }
    if (stmt.type === 'acl' && stmt.expr) this.aclExpr(stmt.expr);
    for (const s of stmt.samples) this.sample(s.expr);
    for (const f of stmt.logFormats) {
      for (const part of f.format.parts) if (part.kind === 'sample' && part.expr) this.sample(part.expr);
    }
    if (stmt.condition) this.condition(stmt.condition);
  }

  section(section: Section): void {
    if (!section.header.active) return;
    this.push(section.keyword.range, 'keyword', PRIORITY.word);
    const from = section.header.words.find((w, i) => i > 0 && w.value === 'from' && !w.quoted);
    if (from) this.push(from.range, 'keyword', PRIORITY.word);
    for (const stmt of section.statements) if (stmt.line.active) this.statement(section, stmt);
  }

  lines(file: ConfigFile): void {
    for (const line of file.lines) {
      if (line.comment) this.push(line.comment.range, 'comment', PRIORITY.comment);
      if (!line.active) continue;
      if (line.kind === 'directive') {
        this.push(line.words[0]?.range, 'macro', PRIORITY.word);
        for (const w of line.words.slice(1)) {
          this.literal(w);
          const m = PREDICATE_RE.exec(w.text);
          if (m) this.push({ start: w.range.start, end: { ...w.range.start, column: w.range.start.column + m[1]!.length } }, 'function', PRIORITY.word);
        }
      } else if (line.kind === 'statement') {
        for (const w of line.words) this.literal(w);
      }
    }
  }

  symbols(analysis: Analysis, path: string): void {
    const { declarations, references } = analysis.model.symbols;
    for (const d of declarations) {
      if (d.file !== path) continue;
      const type = NAME_TYPE[d.kind];
      if (type) this.push(d.range, type, PRIORITY.name, MODIFIER_BIT.declaration);
    }
    for (const r of references) {
      // ACL uses are typed by the condition pass (which knows predefined ACLs); implicit and
      // dynamic references have no written name.
      if (r.file !== path || r.implicit || r.dynamic || r.kind === 'acl') continue;
      const type = NAME_TYPE[r.kind];
      if (type) this.push(r.range, type, PRIORITY.name);
    }
  }
}

/** Removes from each piece what higher-priority pieces on its line cover; sorts the rest. */
function paint(pieces: Piece[]): SemanticToken[] {
  pieces.sort((a, b) => a.line - b.line || a.start - b.start || b.priority - a.priority);
  const tokens: SemanticToken[] = [];
  for (let i = 0; i < pieces.length; ) {
    const line = pieces[i]!.line;
    let j = i + 1;
    let overlaps = false;
    for (; j < pieces.length && pieces[j]!.line === line; j++) if (pieces[j]!.start < pieces[j - 1]!.end) overlaps = true;
    if (!overlaps) {
      // The common case: nothing on the line overlaps.
      for (let k = i; k < j; k++) {
        const p = pieces[k]!;
        tokens.push({ line, start: p.start, length: p.end - p.start, type: p.type, modifiers: p.modifiers });
      }
    } else {
      tokens.push(...paintLine(line, pieces.slice(i, j)));
    }
    i = j;
  }
  return tokens;
}

function paintLine(line: number, list: Piece[]): SemanticToken[] {
  list.sort((a, b) => b.priority - a.priority);
  /** Claimed [start, end) intervals, kept sorted and disjoint. */
  const claimed: [number, number][] = [];
  const out: SemanticToken[] = [];
  for (const p of list) {
    let cursor = p.start;
    const free: [number, number][] = [];
    for (const [s, e] of claimed) {
      if (e <= cursor) continue;
      if (s >= p.end) break;
      if (s > cursor) free.push([cursor, s]);
      cursor = Math.max(cursor, e);
    }
    if (cursor < p.end) free.push([cursor, p.end]);
    for (const [s, e] of free) {
      out.push({ line, start: s, length: e - s, type: p.type, modifiers: p.modifiers });
      claimed.push([s, e]);
    }
    claimed.sort((a, b) => a[0] - b[0]);
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Every token of one file of the analysis, sorted by position, never overlapping. */
export function collectSemanticTokens(analysis: Analysis, file: ConfigFile): SemanticToken[] {
  const c = new Collector();
  c.lines(file);
  for (const section of file.sections) c.section(section);
  c.symbols(analysis, file.path);
  return paint(c.pieces);
}
