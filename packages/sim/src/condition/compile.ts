// A rule's condition compiled once into a closure: an OR of AND-groups of (negated) ACL terms,
// evaluated lazily when the rule runs with HAProxy's three-valued logic (acl_exec_cond), and
// every ACL evaluation recorded for the trace.
import type { Condition, ConditionTerm } from '@haplo/parser';
import { reportProblem, type CompileEnv } from '../compile-env.js';
import { compileAclExpr, type AclResult } from '../acl/compile.js';
import type { AclTable } from '../acl/named.js';
import type { StreamContext } from '../stream/context.js';

export interface AclEvaluation {
  /** The ACL name, or undefined for an anonymous `{ … }` ACL. */
  name?: string;
  /** The name, or the anonymous expression's text. */
  text: string;
  negated: boolean;
  /** The fetched values as text. */
  values: string[];
  /** The ACL's own result, before `!`. */
  result: AclResult;
  matched: boolean;
  /** 1-based config line of the ACL that decided (its `acl` line, or the rule's line for anonymous ACLs). */
  line?: number;
  file?: string;
}

export interface ConditionOutcome {
  /** After `unless` inversion: 'pass' means the rule applies. */
  result: AclResult;
  trace: AclEvaluation[];
}

/**
 * Evaluating with a trace returns every ACL's detail; `.test` gives the same result without
 * building any of it (the no-trace hot path).
 */
export type CompiledCondition = ((ctx: StreamContext) => ConditionOutcome) & { test(ctx: StreamContext): AclResult };

type Term = (ctx: StreamContext, trace: AclEvaluation[]) => AclResult;
type QuickTerm = (ctx: StreamContext) => AclResult;

const negate = (r: AclResult): AclResult => (r === 'pass' ? 'fail' : r === 'fail' ? 'pass' : 'miss');

function compileTerm(term: ConditionTerm, acls: AclTable, env: CompileEnv, where: { line?: number; file?: string }): { traced: Term; quick: QuickTerm } {
  const neg = term.negated;
  if (term.kind === 'ref') {
    const name = term.name.value;
    const acl = acls.get(name);
    if (!acl) {
      reportProblem(env, `no such ACL : '${name}'`, term.nameRange);
      const r: AclResult = neg ? 'pass' : 'fail';
      return {
        traced: (_ctx, trace) => {
          trace.push({ name, text: name, negated: neg, values: [], result: 'fail', matched: false, ...where });
          return r;
        },
        quick: () => r,
      };
    }
    return {
      traced: (ctx, trace) => {
        const o = acl.evaluate(ctx);
        trace.push({ name, text: name, negated: neg, values: o.values, result: o.result, matched: o.result === 'pass', line: o.line ?? where.line, file: o.file ?? where.file });
        return neg ? negate(o.result) : o.result;
      },
      quick: neg ? (ctx) => negate(acl.test(ctx)) : (ctx) => acl.test(ctx),
    };
  }
  if (!term.expr) {
    reportProblem(env, 'empty anonymous ACL', term.range);
    return { traced: () => 'fail', quick: () => 'fail' };
  }
  const expr = compileAclExpr(term.expr, env);
  const text = `{ ${expr.text} }`;
  return {
    traced: (ctx, trace) => {
      const o = expr.evaluate(ctx);
      trace.push({ text, negated: neg, values: o.values, result: o.result, matched: o.result === 'pass', ...where });
      return neg ? negate(o.result) : o.result;
    },
    quick: neg ? (ctx) => negate(expr.test(ctx)) : (ctx) => expr.test(ctx),
  };
}

const ALWAYS: CompiledCondition = Object.assign(() => ({ result: 'pass' as const, trace: [] }), { test: (): AclResult => 'pass' });

/**
 * Compiles a condition against a proxy's ACL table. No condition at all → always passes;
 * an empty `if` never passes and an empty `unless` always does.
 */
export function compileCondition(
  cond: Condition | undefined,
  acls: AclTable,
  env: CompileEnv,
  where: { line?: number; file?: string } = {},
): CompiledCondition {
  if (!cond) return ALWAYS;
  const at = { line: where.line ?? cond.range.start.line + 1, file: where.file };
  // An empty `if` has no terms at all: no group can pass (and an empty `unless` always does).
  const compiled = cond.groups.filter((g) => g.length > 0).map((g) => g.map((t) => compileTerm(t, acls, env, at)));
  const groups = compiled.map((g) => g.map((t) => t.traced));
  const quick = compiled.map((g) => g.map((t) => t.quick));
  const unless = cond.polarity === 'unless';
  const traced = (ctx: StreamContext): ConditionOutcome => {
    const trace: AclEvaluation[] = [];
    let res: AclResult = 'fail';
    for (const group of groups) {
      let suite: AclResult = 'pass';
      for (const term of group) {
        suite = term(ctx, trace);
        if (suite !== 'pass') break; // AND stops at the first FAIL or MISS
      }
      if (suite === 'pass') { res = 'pass'; break; } // OR stops at the first PASS
      if (suite === 'miss') res = 'miss';
    }
    return { result: unless ? negate(res) : res, trace };
  };
  // The same three-valued logic, term by term, with nothing recorded.
  const test = (ctx: StreamContext): AclResult => {
    let res: AclResult = 'fail';
    for (let g = 0; g < quick.length; g++) {
      const group = quick[g]!;
      let suite: AclResult = 'pass';
      for (let t = 0; t < group.length; t++) {
        suite = group[t]!(ctx);
        if (suite !== 'pass') break;
      }
      if (suite === 'pass') { res = 'pass'; break; }
      if (suite === 'miss') res = 'miss';
    }
    return unless ? negate(res) : res;
  };
  return Object.assign(traced, { test });
}
