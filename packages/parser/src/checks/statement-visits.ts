// Every statement of a model with the facts most checks filter on (its section, proxy, keyword,
// catalogue entry, type, modifier, whether it is a `//` line), computed once per model and
// shared by all checks.
//
// Why: on a 100,000-line configuration (~90,000 statements) the cost of a check is mostly memory
// traffic — each statement's words and strings sit in different places of a large heap, so
// reading `stmt.keywordWords[0].value` costs a few cache misses. Reading them once here and
// letting each check skip the statements it does not care about by looking at this compact
// array (plain loop, no closure per statement) makes a pass over all statements cost a few
// milliseconds instead of tens.
import type { RuleSet, Section, SectionKind, Statement } from '../ast/nodes.js';
import { getAction, isProxySection } from '../catalogue/index.js';
import type { ActionSpec, KeywordSpec } from '../catalogue/types.js';
import type { Model, ProxyModel } from '../model/types.js';

export interface StatementVisit {
  stmt: Statement;
  file: string;
  /** Undefined for a statement written before any section. */
  section: Section | undefined;
  /** The proxy (or defaults) the statement belongs to, for proxy sections. */
  proxy: ProxyModel | undefined;
  /**
   * `stmt.keyword`, as one string shared by every statement with that keyword: the catalogue's
   * own name when it is a known keyword, so comparing it with a literal is a pointer comparison.
   */
  keyword: string;
  /** The first keyword word's value (`timeout` for `timeout client`); '' when there is none. */
  head: string;
  /**
   * The catalogue entry of the keyword when its keyword words name exactly one known keyword of
   * the section; undefined otherwise (and for orphans).
   */
  spec: KeywordSpec | undefined;
  /** `stmt.type`. */
  type: Statement['type'];
  /** For rules: the catalogue entry of the action in the rule set, when known. */
  action: ActionSpec | undefined;
  /** `no` or `default` is written before the keyword. */
  hasModifier: boolean;
  /** The statement holds sample expressions or a condition. */
  hasExpressions: boolean;
  /** The section is a defaults, frontend, backend or listen. */
  inProxySection: boolean;
  /** The first word starts with `//` (only the comment-style check reports such a line). */
  slashComment: boolean;
  /** `stmt.line.active`: the line is not in a `.if` branch HAProxy skips. */
  active: boolean;
}

const cache = new WeakMap<Model, readonly StatementVisit[]>();

/** Every statement of the model: orphans first per file, then sections in load order. */
export function statementVisits(model: Model): readonly StatementVisit[] {
  let visits = cache.get(model);
  if (!visits) cache.set(model, (visits = new VisitCollector().collect(model)));
  return visits;
}

/** What is known about one keyword in one kind of section, shared by all its statements. */
interface KeywordFacts {
  keyword: string;
  head: string;
  spec: KeywordSpec | undefined;
}

/** What the statements of one section (or the orphans of one file) share, looked up once. */
interface Place {
  file: string;
  section: Section | undefined;
  proxy: ProxyModel | undefined;
  inProxySection: boolean;
  /** Every line of the file is active (see everyLineActive). */
  allActive: boolean;
  /** Keyword → facts, for this kind of section. */
  keywords: Map<string, KeywordFacts>;
}

class VisitCollector {
  /** Per section kind (undefined: orphans), keyword → facts. Distinct keywords are few. */
  private readonly facts = new Map<SectionKind | undefined, Map<string, KeywordFacts>>();

  collect(model: Model): StatementVisit[] {
    const out: StatementVisit[] = [];
    for (const file of model.files) {
      const place = this.place(model, file.path, undefined, undefined);
      for (const stmt of file.orphans) out.push(this.visit(stmt, place));
    }
    const proxyBySection = new Map<Section, ProxyModel>();
    for (const p of model.defaults) proxyBySection.set(p.section, p);
    for (const p of model.proxies) proxyBySection.set(p.section, p);
    for (const section of model.sections) {
      const place = this.place(model, section.file, section, proxyBySection.get(section));
      const statements = section.statements;
      for (let i = 0; i < statements.length; i++) out.push(this.visit(statements[i]!, place));
    }
    return out;
  }

  private place(model: Model, file: string, section: Section | undefined, proxy: ProxyModel | undefined): Place {
    const kind = section?.kind;
    let keywords = this.facts.get(kind);
    if (!keywords) this.facts.set(kind, (keywords = new Map()));
    const inProxySection = section !== undefined && isProxySection(section.kind);
    return { file, section, proxy, inProxySection, allActive: everyLineActive(model, file), keywords };
  }

  private visit(stmt: Statement, place: Place): StatementVisit {
    const facts = keywordFacts(place, stmt);
    const type = stmt.type;
    const hasModifier = stmt.modifier !== undefined;
    // A `//` line has no modifier and its keyword is its first word, so it starts with `/`.
    const slashComment = !facts.spec && !hasModifier && facts.keyword.charCodeAt(0) === 47 && isSlashComment(stmt);
    // A rule's keyword is its rule set (`facts.keyword`: one shared string, cheaper to look up).
    const action = type === 'rule' && stmt.action ? getAction(facts.keyword as RuleSet, stmt.actionName) : undefined;
    const hasExpressions = stmt.samples.length > 0 || stmt.condition !== undefined;
    // In a file without directives the line need not be read (see everyLineActive).
    const active = place.allActive || stmt.line.active;
    // Always the same shape, so the checks reading these objects stay monomorphic.
    return {
      stmt, file: place.file, section: place.section, proxy: place.proxy, keyword: facts.keyword, head: facts.head, spec: facts.spec,
      type, action, hasModifier, hasExpressions, inProxySection: place.inProxySection, slashComment, active,
    };
  }
}

function keywordFacts(place: Place, stmt: Statement): KeywordFacts {
  const keyword = stmt.keyword;
  // The keyword is its words joined by spaces: it identifies them unless a word holds a space.
  // A non-empty keyword without a space is one word, so the words need not be read then.
  const spaces = spaceCount(keyword);
  if ((spaces > 0 || keyword === '') && spaces !== stmt.keywordWords.length - 1) return factsOf(place.section, stmt);
  let facts = place.keywords.get(keyword);
  if (!facts) place.keywords.set(keyword, (facts = factsOf(place.section, stmt)));
  return facts;
}

function factsOf(section: Section | undefined, stmt: Statement): KeywordFacts {
  // The statement builder already resolved the keyword in its section.
  const spec = section ? stmt.keywordSpec : undefined;
  const keyword = spec && spec.name === stmt.keyword ? spec.name : stmt.keyword;
  return { keyword, head: stmt.keywordWords[0]?.value ?? '', spec };
}

function spaceCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf(' '); i >= 0; i = text.indexOf(' ', i + 1)) n++;
  return n;
}

/**
 * Whether every line of the file is active, known without reading them: only `.if` blocks (and
 * a `.alert` or a broken directive, which stop the reading) make lines inactive, so a file
 * without directives has none.
 */
export function everyLineActive(model: Model, path: string): boolean {
  for (const file of model.files) if (file.path === path) return file.directives.length === 0;
  return false;
}

/** Whether the statement's first word starts with `//`. */
export function isSlashComment(stmt: Statement): boolean {
  const first = stmt.line.words[0];
  return first !== undefined && first.text.startsWith('//');
}
