// Fetches used where their data does not exist. In an action's sample or a log-format string
// HAProxy refuses the configuration; in a condition it only warns that the ACL never matches
// (reference §3.7). An `acl` line is checked where it is used, not where it is declared.
import type { SampleExpr, Statement } from '../../ast/nodes.js';
import { getAclKeyword, type FetchSpec } from '../../catalogue/index.js';
import { codes } from '../../diagnostics/codes.js';
import type { Check, CheckContext } from '../registry.js';
import { aclIndex, sampleVisits } from './expression-index.js';
import { fetchNeeds } from './fetch-needs.js';
import { fetchAllowed, statementPhases, type StatementPhases } from './phases.js';

function needsOf(fetch: FetchSpec): string {
  return fetchNeeds(fetch.name) ?? 'data';
}

function hint(fetch: FetchSpec, where: StatementPhases): string {
  const needs = needsOf(fetch);
  const inResponse = where.phases.some((p) => p.includes('response'));
  if (inResponse && needs.includes('request')) {
    return ` Request data is gone once the response is processed: store it in a variable during the request (http-request set-var(txn.x) ${fetch.name}…) and read var(txn.x) here.`;
  }
  return ` It is usable in fewer places than '${where.label}'.`;
}

function actionSampleMessage(stmt: Statement, expr: SampleExpr, fetch: FetchSpec, where: StatementPhases, logFormat: boolean): string {
  const needs = needsOf(fetch);
  if (logFormat) {
    return `sample fetch <${expr.text}]> may not be reliably used here because it needs '${needs}' which is not available here.${hint(fetch, where)}`;
  }
  if (stmt.keyword.startsWith('stick ')) {
    const when = stmt.keyword === 'stick store-response' ? 'response' : 'request';
    return `'stick': fetch method '${fetch.name}' extracts information from '${needs}', none of which is available during ${when}.`;
  }
  return `fetch method '${fetch.name}' extracts information from '${needs}', none of which is available here (${where.label}).${hint(fetch, where)}`;
}

/** The keyword HAProxy names: the one written, or the fetch when converters follow an ACL keyword. */
function keywordName(expr: SampleExpr): string {
  if (expr.converters.length === 0) return expr.fetch.name;
  return getAclKeyword(expr.fetch.name)?.fetch ?? expr.fetch.name;
}

function checkActions(ctx: CheckContext): void {
  let lastStmt: Statement | undefined;
  let where: StatementPhases | undefined;
  const samples = sampleVisits(ctx.model);
  for (let n = 0; n < samples.length; n++) {
    const s = samples[n]!;
    if (s.site === 'acl' || !s.proxy) continue;
    if (s.stmt !== lastStmt) {
      lastStmt = s.stmt;
      where = statementPhases(s.stmt, s.proxy);
    }
    if (!where) continue;
    if (s.site === 'anonymous') {
      const fetch = s.fetch; // resolved in ACL context, as an anonymous ACL's criterion
      if (!fetch || fetchAllowed(fetch, where)) continue;
      const inNote = where.ruleSetNote ? ` in '${where.ruleSetNote}'` : '';
      ctx.report(
        codes.aclNeverMatches, s.section.file, s.term!.range,
        `anonymous acl will never match${inNote} because it uses keyword '${keywordName(s.expr)}' which is incompatible with '${where.label}'.`,
      );
      continue;
    }
    const fetch = s.fetch; // outside ACLs: the fetch of that name
    if (!fetch || fetchAllowed(fetch, where)) continue;
    ctx.report(
      codes.fetchWrongPhase, s.section.file, s.expr.fetch.range,
      actionSampleMessage(s.stmt, s.expr, fetch, where, s.site === 'log-format'),
    );
  }
}

function checkNamedAcls(ctx: CheckContext): void {
  for (const px of aclIndex(ctx.model)) {
    // Uses come statement by statement: compute each statement's phases once.
    let lastStmt: Statement | undefined;
    let where: StatementPhases | undefined;
    const uses = px.uses;
    for (let n = 0; n < uses.length; n++) {
      const use = uses[n]!;
      if (!use.before.length) continue;
      if (use.stmt !== lastStmt) {
        lastStmt = use.stmt;
        where = statementPhases(use.stmt, px.proxy);
      }
      if (!where) continue;
      let bad: string[] | undefined;
      let good = 0;
      for (const line of use.before) {
        const fetch = line.fetch;
        if (!fetch || fetchAllowed(fetch, where)) good++;
        else (bad ??= []).push(keywordName(line.stmt.expr!.criterion));
      }
      if (!bad) continue;
      const name = use.term.name.value.replace(/^!+/, '');
      const inNote = where.ruleSetNote ? ` in '${where.ruleSetNote}'` : '';
      const related = use.before.map((l) => ({ file: px.file, range: l.stmt.range, message: `acl '${name}' is declared here` }));
      ctx.report(
        codes.aclNeverMatches, px.file, use.term.range,
        good === 0
          ? `acl '${name}' will never match${inNote} because it only involves keywords that are incompatible with '${where.label}'.`
          : `acl '${name}' involves keywords '${[...new Set(bad)].join("', '")}' which is incompatible with '${where.label}'.`,
        { related },
      );
    }
  }
}

export const fetchPhasesCheck: Check = {
  name: 'fetch-phases',
  run(ctx) {
    checkActions(ctx);
    checkNamedAcls(ctx);
  },
};
