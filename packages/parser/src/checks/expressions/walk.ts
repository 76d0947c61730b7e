// Shared walking over the expressions of a configuration: where each sample expression stands,
// and lookups on expressions. The list of every expression is built in expression-index.ts, in
// the same pass as the ACL index. Lines inside a `.if` branch that is not taken are skipped, as
// HAProxy skips them.
import type { AclExpr, AclStatement, AnonymousAclTerm, SampleCall, SampleExpr, Section, Statement } from '../../ast/nodes.js';
import {
  getAclKeyword, getConverter, getFetch, type ConverterSpec, type FetchSpec, type SampleType,
} from '../../catalogue/index.js';
import type { ProxyModel } from '../../model/types.js';
import type { StatementVisit } from '../statement-visits.js';

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
  /** The fetch the expression uses where it stands, `resolveFetch(expr.fetch, isAclSite(site))`, looked up once. */
  fetch: FetchSpec | undefined;
}

/** Whether the expression checks look at a statement: written in a section, on an active line. */
export function inSection(v: StatementVisit): v is StatementVisit & { section: Section } {
  return v.section !== undefined && v.active;
}

function visit(v: StatementVisit & { section: Section }, expr: SampleExpr, site: SampleSite, acl: AclExpr | undefined, term: AnonymousAclTerm | undefined): SampleVisit {
  // Always the same shape, so the checks reading these objects stay monomorphic.
  const fetch = resolveFetch(expr.fetch, isAclSite(site));
  return { expr, site, stmt: v.stmt, section: v.section, proxy: v.proxy, acl, term, fetch };
}

/** Adds every sample expression of a statement, with where it stands, to `out`. */
export function collectSamples(v: StatementVisit & { section: Section }, out: SampleVisit[]): void {
  const { stmt } = v;
  const aclCriterion = stmt.type === 'acl' ? stmt.expr?.criterion : undefined;
  // Indexed loops: this runs for every statement with expressions, mostly in unoptimized code
  // where an iterator is an allocation.
  const samples = stmt.samples;
  for (let i = 0; i < samples.length; i++) {
    const expr = samples[i]!.expr;
    if (aclCriterion === expr) out.push(visit(v, expr, 'acl', (stmt as AclStatement).expr, undefined));
    else out.push(visit(v, expr, inLogFormat(stmt, expr) ? 'log-format' : 'sample', undefined, undefined));
  }
  if (stmt.condition) {
    const groups = stmt.condition.groups;
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!;
      for (let t = 0; t < group.length; t++) {
        const term = group[t]!;
        if (term.kind === 'anonymous' && term.expr) out.push(visit(v, term.expr.criterion, 'anonymous', term.expr, term));
      }
    }
  }
}

function inLogFormat(stmt: Statement, expr: SampleExpr): boolean {
  const formats = stmt.logFormats;
  for (let i = 0; i < formats.length; i++) {
    const parts = formats[i]!.format.parts;
    for (let k = 0; k < parts.length; k++) {
      const part = parts[k]!;
      if (part.kind === 'sample' && part.expr === expr) return true;
    }
  }
  return false;
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
  const convs = expr.converters;
  for (let i = 0; i < convs.length; i++) {
    const c = convs[i]!;
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
