// Shared walking over the statements of a configuration and the expressions they hold, so each
// expression check is a single pass. Lines inside a `.if` branch that is not taken are skipped,
// as HAProxy skips them.
import type { AclExpr, AclStatement, AnonymousAclTerm, SampleCall, SampleExpr, Section, Statement } from '../../ast/nodes.js';
import {
  getAclKeyword, getConverter, getFetch, type ConverterSpec, type FetchSpec, type SampleType,
} from '../../catalogue/index.js';
import type { Model, ProxyModel } from '../../model/types.js';

/** Where a sample expression stands, which decides HAProxy's wording and severity. */
export type SampleSite =
  | 'acl' // the criterion of an `acl` line
  | 'anonymous' // the criterion of a `{ … }` term
  | 'log-format' // a `%[…]` inside a log-format string
  | 'sample'; // a plain sample argument (set-var, track-sc0, stick on, capture …)

export interface SampleVisit {
  expr: SampleExpr;
  site: SampleSite;
  stmt: Statement;
  section: Section;
  proxy: ProxyModel | undefined;
  /** For `acl` and `anonymous`: the ACL expression. */
  acl: AclExpr | undefined;
  term: AnonymousAclTerm | undefined;
}

export interface StatementVisit {
  stmt: Statement;
  section: Section;
  proxy: ProxyModel | undefined;
}

const statementCache = new WeakMap<Model, StatementVisit[]>();
const sampleCache = new WeakMap<Model, SampleVisit[]>();

function statementsOf(model: Model): StatementVisit[] {
  let list = statementCache.get(model);
  if (list) return list;
  list = [];
  for (const section of model.sections) {
    for (const stmt of section.statements) {
      if (!stmt.line.active) continue;
      list.push({ stmt, section, proxy: model.proxyOf.get(stmt) });
    }
  }
  statementCache.set(model, list);
  return list;
}

/** Every active statement of every section, in load order (collected once per model). */
export function forEachStatement(model: Model, fn: (v: StatementVisit) => void): void {
  for (const v of statementsOf(model)) fn(v);
}

function visit(v: StatementVisit, expr: SampleExpr, site: SampleSite, acl: AclExpr | undefined, term: AnonymousAclTerm | undefined): SampleVisit {
  // Always the same shape, so the checks reading these objects stay monomorphic.
  return { expr, site, stmt: v.stmt, section: v.section, proxy: v.proxy, acl, term };
}

/** Every sample expression of a statement, with where it stands. */
export function forEachSample(v: StatementVisit, fn: (s: SampleVisit) => void): void {
  const { stmt } = v;
  const aclCriterion = stmt.type === 'acl' ? stmt.expr?.criterion : undefined;
  for (const { expr } of stmt.samples) {
    if (aclCriterion === expr) fn(visit(v, expr, 'acl', (stmt as AclStatement).expr, undefined));
    else fn(visit(v, expr, inLogFormat(stmt, expr) ? 'log-format' : 'sample', undefined, undefined));
  }
  if (stmt.condition) {
    for (const group of stmt.condition.groups) {
      for (const term of group) {
        if (term.kind === 'anonymous' && term.expr) fn(visit(v, term.expr.criterion, 'anonymous', term.expr, term));
      }
    }
  }
}

function inLogFormat(stmt: Statement, expr: SampleExpr): boolean {
  for (const lf of stmt.logFormats) for (const p of lf.format.parts) if (p.kind === 'sample' && p.expr === expr) return true;
  return false;
}

/** Every sample expression of the configuration (collected once per model). */
export function forEachSampleIn(model: Model, fn: (s: SampleVisit) => void): void {
  let list = sampleCache.get(model);
  if (!list) {
    const all: SampleVisit[] = [];
    for (const v of statementsOf(model)) forEachSample(v, (s) => all.push(s));
    sampleCache.set(model, (list = all));
  }
  for (const s of list) fn(s);
}

export function isAclSite(site: SampleSite): boolean {
  return site === 'acl' || site === 'anonymous';
}

/**
 * The fetch a criterion uses: in ACL context an ACL keyword (`path_beg`) stands for its fetch
 * (HAProxy looks ACL keywords up first); elsewhere only real fetches count.
 */
export function resolveFetch(call: SampleCall, aclContext: boolean): FetchSpec | undefined {
  const direct = getFetch(call.name);
  if (aclContext) {
    const kw = getAclKeyword(call.name);
    if (kw) return getFetch(kw.fetch) ?? direct;
  }
  return direct;
}

/** Whether the name is known where it stands. */
export function isKnownFetchName(name: string, aclContext: boolean): boolean {
  return getFetch(name) !== undefined || (aclContext && getAclKeyword(name) !== undefined);
}

/** The output type of an expression, when every part is known. */
export function outputType(expr: SampleExpr, aclContext: boolean): SampleType | undefined {
  const fetch = resolveFetch(expr.fetch, aclContext);
  if (!fetch) return undefined;
  let type: SampleType = fetch.output;
  for (const c of expr.converters) {
    const spec: ConverterSpec | undefined = getConverter(c.name);
    if (!spec) return undefined;
    type = spec.output;
  }
  return type;
}

/** `if` plus the keyword and action, as HAProxy names a rule: `http-request deny`. */
export function ruleName(stmt: Statement): string {
  if (stmt.type === 'rule') return `${stmt.keyword} ${stmt.action?.value ?? ''}`.trimEnd();
  return stmt.keyword;
}
