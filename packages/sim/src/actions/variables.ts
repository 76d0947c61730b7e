// set-var(<scope.name>) <expr>, set-var-fmt(<scope.name>) <log-format>, unset-var(<scope.name>).
// A set-var whose expression yields no sample leaves the variable as it was (reference §5.2).
import { reportProblem } from '../compile-env.js';
import { sampleToString, MISS, str } from '../sample/sample.js';
import { badVarMessage, parseVarName, setVar, unsetVar } from '../stream/variables.js';
import { logFormat, sample } from './args.js';
import type { ActionCompileContext, ActionCompiler } from './types.js';

function variable(cx: ActionCompileContext) {
  const v = parseVarName(cx.paren ?? '');
  if (!v) reportProblem(cx.env, badVarMessage(cx.paren ?? ''), cx.rule.action?.range ?? cx.rule.range);
  return v;
}

const setVarAction: ActionCompiler = (cx) => {
  const v = variable(cx);
  const expr = sample(cx.args[0], cx.env);
  return ({ ctx }) => {
    if (!v) return { kind: 'continue' };
    const s = expr(ctx);
    if (s === undefined || s === MISS) return { kind: 'continue', change: `${v.text} not set (no sample)` };
    setVar(ctx, v, s);
    return { kind: 'continue', change: `${v.text} = ${sampleToString(s)}` };
  };
};

const setVarFmt: ActionCompiler = (cx) => {
  const v = variable(cx);
  const fmt = logFormat(cx.args[0], cx.env);
  return ({ ctx }) => {
    if (!v) return { kind: 'continue' };
    const text = fmt(ctx);
    setVar(ctx, v, str(text));
    return { kind: 'continue', change: `${v.text} = ${text}` };
  };
};

const unsetVarAction: ActionCompiler = (cx) => {
  const v = variable(cx);
  return ({ ctx }) => {
    if (!v) return { kind: 'continue' };
    unsetVar(ctx, v);
    return { kind: 'continue', change: `${v.text} unset` };
  };
};

export const variableActions: Record<string, ActionCompiler> = {
  'set-var': setVarAction,
  'set-var-fmt': setVarFmt,
  'unset-var': unsetVarAction,
};
