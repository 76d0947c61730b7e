// The one entry point to HAProxy 2.6 keyword knowledge: the tables, plus lookups built once at
// module load. Everything else in haplo imports from here.
import type { RuleSet, SectionKind } from '../ast/nodes.js';
import type {
  AclKeywordSpec, ActionSpec, ConverterSpec, FetchSpec, KeywordSpec, MatchMethodSpec, Phase, PredefinedAclSpec,
} from './types.js';
import { proxyKeywordSpecs, removedProxyKeywords, BALANCE_ALGOS, FILTERS, LOG_LEVELS, SERVICES, PROXY_KEYWORDS_NOT_IN_MATRIX } from './proxy-keywords.js';
import { sectionKeywordSpecs, globalKeywordSpecs, removedGlobalKeywords } from './section-keywords.js';
import { fetchSpecs } from './fetches.js';
import { converterSpecs } from './converters.js';
import { aclKeywordSpecs } from './acl-keywords.js';
import { matchMethodSpecs, DEFAULT_MATCH_METHOD } from './match-methods.js';
import { predefinedAcls } from './predefined-acls.js';
import { actionSpecs, RULE_SETS } from './actions.js';
import { bindOptionSpecs, serverOptionSpecs } from './bind-server-options.js';

export * from './types.js';
export type { RuleSet, SectionKind } from '../ast/nodes.js';
export {
  proxyKeywordSpecs, removedProxyKeywords, sectionKeywordSpecs, globalKeywordSpecs, removedGlobalKeywords,
  fetchSpecs, converterSpecs, aclKeywordSpecs, matchMethodSpecs, predefinedAcls, actionSpecs,
  bindOptionSpecs, serverOptionSpecs,
  RULE_SETS, BALANCE_ALGOS, FILTERS, LOG_LEVELS, SERVICES, DEFAULT_MATCH_METHOD, PROXY_KEYWORDS_NOT_IN_MATRIX,
};

/** Every configuration keyword: proxy keywords first, then those of the other sections. */
export const keywordSpecs: readonly KeywordSpec[] = [...proxyKeywordSpecs, ...sectionKeywordSpecs];

// ---- sections --------------------------------------------------------------------------------

export interface SectionKindSpec {
  kind: SectionKind;
  /** The word that opens the section. */
  keyword: string;
  /** Whether the header takes a name. */
  name: 'required' | 'optional' | 'none';
  /** Accepts `from <defaults>`. */
  from: boolean;
  /** Holds proxy keywords (defaults, frontend, listen, backend). */
  proxy: boolean;
  description: string;
}

const sk = (kind: SectionKind, name: SectionKindSpec['name'], proxy: boolean, description: string): SectionKindSpec =>
  ({ kind, keyword: kind, name, from: proxy, proxy, description });

/** Every section kind of 2.6, with the word that opens it. */
export const sectionKinds: readonly SectionKindSpec[] = [
  sk('global', 'none', false, 'Process-wide settings'),
  sk('defaults', 'optional', true, 'Settings inherited by the proxies that follow (or that name it with "from")'),
  sk('frontend', 'required', true, 'Listeners and request routing'),
  sk('backend', 'required', true, 'Servers and load balancing'),
  sk('listen', 'required', true, 'A frontend and a backend in one section'),
  sk('userlist', 'required', false, 'Users and groups for HTTP authentication'),
  sk('peers', 'required', false, 'Stick-table replication between HAProxy instances'),
  sk('resolvers', 'required', false, 'DNS servers for runtime name resolution'),
  sk('mailers', 'required', false, 'SMTP servers for email alerts'),
  sk('http-errors', 'required', false, 'A named set of error pages'),
  sk('ring', 'required', false, 'A ring buffer for logs and traces'),
  sk('cache', 'required', false, 'A small HTTP object cache'),
  sk('program', 'required', false, 'An external program run by the master process'),
  sk('fcgi-app', 'required', false, 'A FastCGI application'),
  sk('log-forward', 'required', false, 'A syslog forwarder'),
];
const sectionKindByWord = new Map(sectionKinds.map((s) => [s.keyword, s]));

/** The section kind a header word opens (`frontend` → frontend), if any. */
export function getSectionKind(word: string): SectionKindSpec | undefined {
  return sectionKindByWord.get(word);
}

const PROXY_KINDS: ReadonlySet<SectionKind> = new Set<SectionKind>(['defaults', 'frontend', 'backend', 'listen']);

/** True for defaults, frontend, backend and listen. */
export function isProxySection(kind: SectionKind): boolean {
  return PROXY_KINDS.has(kind);
}

// ---- keyword lookup --------------------------------------------------------------------------

interface KeywordTable {
  byName: Map<string, KeywordSpec>;
  /** Every proper word prefix of a multi-word keyword (`timeout`, `capture request`). */
  prefixes: Set<string>;
  maxWords: number;
}

function buildTable(specs: Iterable<KeywordSpec>): KeywordTable {
  const t: KeywordTable = { byName: new Map(), prefixes: new Set(), maxWords: 1 };
  for (const s of specs) {
    if (!t.byName.has(s.name)) t.byName.set(s.name, s);
    const parts = s.name.split(' ');
    t.maxWords = Math.max(t.maxWords, parts.length);
    for (let i = 1; i < parts.length; i++) t.prefixes.add(parts.slice(0, i).join(' '));
  }
  return t;
}

const proxyTable = buildTable(proxyKeywordSpecs);
const sectionTables = new Map<SectionKind, KeywordTable>();
for (const kind of sectionKinds) {
  if (kind.proxy) continue;
  sectionTables.set(kind.kind, buildTable(sectionKeywordSpecs.filter((s) => s.sections?.includes(kind.kind))));
}
/** Used outside any section: every table, proxy keywords first. */
const anyTable = buildTable([...proxyKeywordSpecs, ...sectionKeywordSpecs]);

function tableFor(section: SectionKind | undefined): KeywordTable {
  if (section === undefined) return anyTable;
  if (PROXY_KINDS.has(section)) return proxyTable;
  return sectionTables.get(section) ?? anyTable;
}

/** `set-var(check.x)` → `set-var`: keyword words may carry a parenthesised argument. */
function stripParen(word: string): string {
  const i = word.indexOf('(');
  return i > 0 ? word.slice(0, i) : word;
}

function joined(words: readonly string[], n: number, strip: boolean): string {
  let s = '';
  for (let i = 0; i < n; i++) s += (i ? ' ' : '') + (strip && i > 0 ? stripParen(words[i]!) : words[i]!);
  return s;
}

/**
 * The longest known keyword formed by the leading words, valid for that kind of section. For
 * proxy sections the proxy table is searched whatever the placement (check `spec.proxy`). With
 * `section` undefined (a line outside any section) every table is searched, so callers can still
 * tell what the line was meant to be.
 */
export function findKeyword(
  section: SectionKind | undefined,
  words: readonly string[],
): { spec: KeywordSpec; wordCount: number } | undefined {
  if (words.length === 0) return undefined;
  const t = tableFor(section);
  const first = words[0]!;
  // Most lines start with a one-word keyword that opens no family: one lookup, no string joins.
  if (!t.prefixes.has(first)) {
    const spec = t.byName.get(first);
    return spec ? { spec, wordCount: 1 } : undefined;
  }
  for (let n = Math.min(t.maxWords, words.length); n >= 1; n--) {
    const spec = t.byName.get(joined(words, n, false)) ?? (n > 1 ? t.byName.get(joined(words, n, true)) : undefined);
    if (spec) return { spec, wordCount: n };
  }
  return undefined;
}

/**
 * Whether `first` begins a multi-word keyword of the section (`timeout`, `option`, `tcp-request`).
 * When it does not, the keyword is that one word: `keywordNamed(section, first)` or unknown, as
 * `findKeyword` and `keywordWordCount` would say, without building the list of leading words.
 */
export function opensKeywordFamily(section: SectionKind | undefined, first: string): boolean {
  return tableFor(section).prefixes.has(first);
}

/** The keyword spec named exactly `name` in that kind of section (the table `findKeyword` searches). */
export function keywordNamed(section: SectionKind | undefined, name: string): KeywordSpec | undefined {
  return tableFor(section).byName.get(name);
}

/**
 * How many leading words name the keyword: the longest known keyword; for an unknown keyword of a
 * known family (`option frob`, `timeout frob`, `capture request frob`) the family words plus one;
 * otherwise 1. `['http-request','set-header',…]` → 1 (the action is separate).
 */
export function keywordWordCount(section: SectionKind | undefined, words: readonly string[]): number {
  if (words.length === 0) return 0;
  const found = findKeyword(section, words);
  if (found) return found.wordCount;
  const t = tableFor(section);
  let prefix = 0;
  for (let n = Math.min(t.maxWords - 1, words.length); n >= 1; n--) {
    if (t.prefixes.has(joined(words, n, false))) { prefix = n; break; }
  }
  return prefix === 0 ? 1 : Math.min(prefix + 1, words.length);
}

/** Keywords valid in a kind of section (proxy kinds share one table; placement is in `spec.proxy`). */
export function keywordsFor(section: SectionKind): readonly KeywordSpec[] {
  return [...tableFor(section).byName.values()];
}

const ruleSetNames: ReadonlySet<string> = new Set(RULE_SETS);

/** `name` as a rule set, when it is one (`http-request`, `tcp-request content`, …). */
export function ruleSetNamed(name: string): RuleSet | undefined {
  return ruleSetNames.has(name) ? (name as RuleSet) : undefined;
}

/** The rule set a statement's keyword words open: `['tcp-request','content']` → 'tcp-request content'. */
export function ruleSetOf(keywordWords: readonly string[]): RuleSet | undefined {
  const name = keywordWords.join(' ');
  return ruleSetNames.has(name) ? (name as RuleSet) : undefined;
}

// ---- samples, ACLs, actions ------------------------------------------------------------------

const byName = <T extends { name: string }>(list: readonly T[]): Map<string, T> => {
  const m = new Map<string, T>();
  for (const x of list) if (!m.has(x.name)) m.set(x.name, x);
  return m;
};
const fetchMap = byName(fetchSpecs);
const converterMap = byName(converterSpecs);
const aclKeywordMap = byName(aclKeywordSpecs);
const matchMethodMap = byName(matchMethodSpecs);
const predefinedAclMap = byName(predefinedAcls);
const actionMaps = new Map<RuleSet, Map<string, ActionSpec>>(RULE_SETS.map((rs) => [rs, new Map()]));
const rejectedActionMaps = new Map<RuleSet, Map<string, ActionSpec>>(RULE_SETS.map((rs) => [rs, new Map()]));
for (const a of actionSpecs) {
  for (const rs of a.ruleSets) actionMaps.get(rs)!.set(a.name, a);
  for (const rs of a.rejectedIn ?? []) rejectedActionMaps.get(rs)!.set(a.name, a);
}

export const getFetch = (name: string): FetchSpec | undefined => fetchMap.get(name);
export const getConverter = (name: string): ConverterSpec | undefined => converterMap.get(name);
export const getAclKeyword = (name: string): AclKeywordSpec | undefined => aclKeywordMap.get(name);
export const getMatchMethod = (name: string): MatchMethodSpec | undefined => matchMethodMap.get(name);
export const getPredefinedAcl = (name: string): PredefinedAclSpec | undefined => predefinedAclMap.get(name);

/**
 * The action `name` of a rule set. `name` may be written with its parenthesised argument
 * (`set-var(txn.x)` finds `set-var`).
 */
export function getAction(ruleSet: RuleSet, name: string): ActionSpec | undefined {
  const m = actionMaps.get(ruleSet);
  return m?.get(name) ?? m?.get(stripParen(name));
}

/** An action HAProxy knows in this rule set but refuses there (`capture` in tcp-request connection). */
export function getRejectedAction(ruleSet: RuleSet, name: string): ActionSpec | undefined {
  const m = rejectedActionMaps.get(ruleSet);
  return m?.get(name) ?? m?.get(stripParen(name));
}

/** Names of the actions valid in a rule set, for completion and "did you mean". */
export function actionNames(ruleSet: RuleSet): string[] {
  return [...(actionMaps.get(ruleSet)?.keys() ?? [])];
}

/** Names of the options accepted on `server`/`default-server`/`server-template` lines. */
export const serverKeywords: readonly string[] = serverOptionSpecs.map((s) => s.name);
/** Names of the options accepted on `bind` lines. */
export const bindKeywords: readonly string[] = bindOptionSpecs.map((s) => s.name);
const serverOptionMap = byName(serverOptionSpecs);
const bindOptionMap = byName(bindOptionSpecs);
export const getServerOption = (name: string) => serverOptionMap.get(name);
export const getBindOption = (name: string) => bindOptionMap.get(name);

const phaseSets = new WeakMap<FetchSpec, ReadonlySet<Phase>>();

/** Whether a fetch may be used in a phase. */
export function isPhaseAllowed(fetch: FetchSpec, phase: Phase): boolean {
  let s = phaseSets.get(fetch);
  if (!s) {
    s = new Set(fetch.phases);
    phaseSets.set(fetch, s);
  }
  return s.has(phase);
}

// ---- "did you mean" --------------------------------------------------------------------------

/** Largest edit distance accepted for a word of this length. */
function maxDistance(len: number): number {
  return len <= 4 ? 1 : len <= 8 ? 2 : 3;
}

/** Damerau–Levenshtein distance (optimal string alignment), giving up above `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const n = a.length;
  const m = b.length;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= m; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m]!;
}

/**
 * The closest candidate to a misspelt word, or undefined when none is close enough (the allowed
 * distance grows with the word's length) or when the word is itself a candidate. Comparison is
 * case-insensitive; on ties the first candidate wins.
 */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  const limit = maxDistance(w.length);
  let best: string | undefined;
  let bestDist = limit + 1;
  for (const c of candidates) {
    if (c === word) return undefined;
    const d = editDistance(w, c.toLowerCase(), Math.min(limit, bestDist));
    if (d < bestDist) {
      best = c;
      bestDist = d;
    }
  }
  return bestDist <= limit ? best : undefined;
}
export { actionArity } from './action-arity.js';
