// A rule set compiled once into a phase object: each rule's condition and action become
// closures at load; running the phase evaluates conditions lazily, rule by rule, so a rewrite
// is seen by the rules after it, and records every rule in the trace.
import { catalogue, type ProxyModel, type RuleSet, type RuleStatement, type Statement } from '@haplo/parser';
import type { AclTable } from '../acl/named.js';
import { actionCompiler } from '../actions/registry.js';
import type { ServiceName } from '../actions/services.js';
import type { ActionRun, CompiledAction, Outcome } from '../actions/types.js';
import { compileCondition, type CompiledCondition } from '../condition/compile.js';
import type { Reply } from '../responses/reply.js';
import type { Phase } from '../stream/context.js';
import type { PhaseName, TraceRecorder } from '../trace/events.js';
import type { PipelineContext } from './context.js';

export interface CompiledRule {
  file: string;
  /** 1-based. */
  line: number;
  text: string;
  action: string;
  final: boolean;
  /** Undefined when the rule has no condition. */
  when?: CompiledCondition;
  exec: CompiledAction;
  /** Set when the action is not simulated: the rule is skipped and the trace says why. */
  unsupported?: string;
}

export type PhaseVerdict =
  | { kind: 'continue' }
  | { kind: 'final'; outcome: Outcome; reply?: Reply; service?: ServiceName }
  /** An ACL said MISS before the inspect-delay expired: HAProxy waits for more data. */
  | { kind: 'wait' };

/** One named step of the lifecycle, for one proxy. */
export interface RulePhase {
  name: PhaseName;
  proxy: string;
  /** The fetch-validity phase the rules run in. */
  fetchPhase: Phase;
  rules: readonly CompiledRule[];
  run(run: ActionRun, trace: TraceRecorder): PhaseVerdict;
}

/** The source text of a statement's words, as written. */
export function statementText(st: Statement): string {
  return st.line.words.map((w) => w.text).join(' ');
}

const skip: CompiledAction = () => ({ kind: 'continue' });

/** Compiles one rule statement; an action the simulator lacks becomes an `unsupported` rule. */
export function compileRule(rule: RuleStatement, cx: PipelineContext, proxy: ProxyModel, acls: AclTable, file: string): CompiledRule {
  const line = rule.line.line + 1;
  const name = rule.actionName;
  const spec = catalogue.getAction(rule.ruleSet, name);
  const compiler = actionCompiler(name);
  const base = {
    file, line, text: statementText(rule), action: name, final: spec?.final ?? false,
    when: rule.condition ? compileCondition(rule.condition, acls, cx.env, { line, file }) : undefined,
  };
  if (!compiler) return { ...base, exec: skip, unsupported: `'${rule.ruleSet} ${name}' is not simulated` };
  const action = rule.action?.value ?? '';
  const paren = action.includes('(') ? action.slice(action.indexOf('(') + 1, action.lastIndexOf(')')) : undefined;
  const exec = compiler({
    rule, ruleSet: rule.ruleSet, proxy, model: cx.model, env: cx.env, httpErrors: cx.httpErrors,
    args: rule.actionArgs, paren,
  });
  return { ...base, exec };
}

const CONTINUE: PhaseVerdict = { kind: 'continue' };
const WAIT: PhaseVerdict = { kind: 'wait' };

/** The rules without a trace: same verdicts, no events or ACL detail built. */
function runQuiet(rules: readonly CompiledRule[], run: ActionRun): PhaseVerdict {
  const ctx = run.ctx;
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!;
    if (r.when) {
      const res = r.when.test(ctx);
      if (res === 'miss' && !ctx.final) return WAIT;
      if (res !== 'pass') continue;
    }
    if (r.unsupported) continue;
    const v = r.exec(run);
    if (v.kind === 'stop') return CONTINUE;
    if (v.kind === 'final') return { kind: 'final', outcome: v.outcome, reply: v.reply, service: v.service };
  }
  return CONTINUE;
}

/** A phase object over compiled rules. */
export function rulePhase(name: PhaseName, proxy: string, fetchPhase: Phase, rules: readonly CompiledRule[]): RulePhase {
  return {
    name, proxy, fetchPhase, rules,
    run(run, trace) {
      const ctx = run.ctx;
      ctx.phase = fetchPhase;
      if (!trace.enabled) return runQuiet(rules, run);
      trace.push({ type: 'phase', phase: name, proxy });
      for (const r of rules) {
        let condition: boolean | null = null;
        let acls: import('../condition/compile.js').AclEvaluation[] = [];
        if (r.when) {
          const o = r.when(ctx);
          acls = o.trace;
          if (o.result === 'miss' && !ctx.final) {
            trace.push({ type: 'rule', phase: name, proxy, file: r.file, line: r.line, text: r.text, condition: null, acls, action: r.action, final: r.final, change: 'waiting for more data' });
            trace.push({ type: 'phase-end', phase: name, proxy, verdict: 'wait' });
            return { kind: 'wait' };
          }
          condition = o.result === 'pass';
        }
        const event = { type: 'rule' as const, phase: name, proxy, file: r.file, line: r.line, text: r.text, condition, acls, action: r.action, final: r.final };
        if (condition === false) {
          trace.push(event);
          continue;
        }
        if (r.unsupported) {
          trace.push({ ...event, unsupported: r.unsupported });
          continue;
        }
        const v = r.exec(run);
        trace.push(v.change === undefined ? event : { ...event, change: v.change });
        if (v.kind === 'stop') {
          trace.push({ type: 'phase-end', phase: name, proxy, verdict: 'stop' });
          return { kind: 'continue' };
        }
        if (v.kind === 'final') {
          trace.push({ type: 'phase-end', phase: name, proxy, verdict: 'final' });
          return { kind: 'final', outcome: v.outcome, reply: v.reply, service: v.service };
        }
      }
      trace.push({ type: 'phase-end', phase: name, proxy, verdict: 'continue' });
      return { kind: 'continue' };
    },
  };
}

/** The rules of `set` a proxy runs: its named defaults' rules first, then its own. */
export function rulesOf(proxy: ProxyModel, set: RuleSet, cx: PipelineContext): CompiledRule[] {
  const out: CompiledRule[] = [];
  const d = proxy.defaults;
  if (d && d.name !== '') {
    for (const r of d.rules.get(set) ?? []) out.push(compileRule(r, cx, proxy, cx.aclTable(d), d.section.file));
  }
  for (const r of proxy.rules.get(set) ?? []) out.push(compileRule(r, cx, proxy, cx.aclTable(proxy), proxy.section.file));
  return out;
}

/** Marks a verdict's compile-time type for callers that only continue or stop. */
export type { CompiledCondition };
