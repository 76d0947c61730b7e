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

export type CompiledCondition = (ctx: StreamContext) => ConditionOutcome;

type Term = (ctx: StreamContext, trace: AclEvaluation[]) => AclResult;

const negate = (r: AclResult): AclResult => (r === 'pass' ? 'fail' : r === 'fail' ? 'pass' : 'miss');

function compileTerm(term: ConditionTerm, acls: AclTable, env: CompileEnv, where: { line?: number; file?: string }): Term {
  const neg = term.negated;
  if (term.kind === 'ref') {
    const name = term.name.value;
    const acl = acls.get(name);
    if (!acl) {
      reportProblem(env, `no such ACL : '${name}'`, term.nameRange);
      return (_ctx, trace) => {
        trace.push({ name, text: name, negated: neg, values: [], result: 'fail', matched: false, ...where });
        return neg ? 'pass' : 'fail';
      };
    }
    return (ctx, trace) => {
      const o = acl.evaluate(ctx);
      trace.push({ name, text: name, negated: neg, values: o.values, result: o.result, matched: o.result === 'pass', line: o.line ?? where.line, file: o.file ?? where.file });
      return neg ? negate(o.result) : o.result;
    };
  }
  if (!term.expr) {
    reportProblem(env, 'empty anonymous ACL', term.range);
    return () => 'fail';
  }
  const expr = compileAclExpr(term.expr, env);
  return (ctx, trace) => {
    const o = expr.evaluate(ctx);
    trace.push({ text: `{ ${expr.text} }`, negated: neg, values: o.values, result: o.result, matched: o.result === 'pass', ...where });
    return neg ? negate(o.result) : o.result;
  };
}

const ALWAYS: CompiledCondition = () => ({ result: 'pass', trace: [] });

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
  const groups = cond.groups.filter((g) => g.length > 0).map((g) => g.map((t) => compileTerm(t, acls, env, at)));
  const unless = cond.polarity === 'unless';
  return (ctx) => {
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
}
