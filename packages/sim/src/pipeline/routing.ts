// Frontend-side routing: `redirect` rules (after http-request, whatever the file order), then
// use_backend rules in order (first match wins; a dynamic `%[…]` name that names no backend
// skips the rule), else default_backend. A listen section falls back to itself.
import type { ProxyModel, Statement } from '@haplo/parser';
import { compileRedirect } from '../actions/redirect.js';
import type { ActionRun } from '../actions/types.js';
import { logFormat } from '../actions/args.js';
import { compileCondition, type CompiledCondition } from '../condition/compile.js';
import type { StreamContext } from '../stream/context.js';
import type { TraceRecorder } from '../trace/events.js';
import type { PipelineContext } from './context.js';
import { rulePhase, statementText, type CompiledRule, type RulePhase } from './rules.js';

/** The `redirect` keyword's rules as a phase. */
export function redirectPhase(proxy: ProxyModel, cx: PipelineContext, side: 'fe' | 'be'): RulePhase {
  const file = proxy.section.file;
  const rules: CompiledRule[] = proxy.redirects.map((st) => {
    const line = st.line.line + 1;
    return {
      file, line, text: statementText(st), action: 'redirect', final: true,
      when: st.condition ? compileCondition(st.condition, cx.aclTable(proxy), cx.env, { line, file }) : undefined,
      exec: compileRedirect(st.args, cx.env, st.keywordWords[0]),
    };
  });
  return rulePhase('redirect', proxy.name, side === 'fe' ? 'fe-http-request' : 'be-http-request', rules);
}

interface SwitchRule {
  line: number;
  file: string;
  text: string;
  name: (ctx: StreamContext) => string;
  dynamic: boolean;
  when?: CompiledCondition;
  isDefault: boolean;
}

export interface BackendSwitch {
  rules: readonly SwitchRule[];
  /** Picks the backend name, tracing each rule; undefined when nothing names a backend. */
  choose(run: ActionRun, trace: TraceRecorder, exists: (name: string) => boolean): { backend?: string; how: string; line?: number };
}

function switchRule(st: Statement, proxy: ProxyModel, cx: PipelineContext, isDefault: boolean): SwitchRule {
  const line = st.line.line + 1;
  const file = proxy.section.file;
  const word = st.args[0];
  return {
    line, file, text: statementText(st), isDefault,
    name: logFormat(word, cx.env),
    dynamic: (word?.value ?? '').includes('%['),
    when: !isDefault && st.condition ? compileCondition(st.condition, cx.aclTable(proxy), cx.env, { line, file }) : undefined,
  };
}

export function compileBackendSwitch(proxy: ProxyModel, cx: PipelineContext): BackendSwitch {
  const rules = proxy.useBackends.map((st) => switchRule(st, proxy, cx, false));
  if (proxy.defaultBackend) rules.push(switchRule(proxy.defaultBackend, proxy, cx, true));
  const self = proxy.capabilities.backend ? proxy.name : undefined;
  return {
    rules,
    choose({ ctx }, trace, exists) {
      ctx.phase = 'fe-use-backend';
      if (!trace.enabled) {
        for (const r of rules) {
          if (r.when && r.when.test(ctx) !== 'pass') continue;
          const name = r.name(ctx);
          if (!exists(name)) continue;
          return { backend: name, how: r.isDefault ? 'default_backend' : r.dynamic ? 'use_backend (dynamic name)' : 'use_backend', line: r.line };
        }
        return self ? { backend: self, how: 'listen section serves itself' } : { how: 'no use_backend matched and no default_backend' };
      }
      trace.push({ type: 'phase', phase: 'use_backend', proxy: proxy.name });
      for (const r of rules) {
        let condition: boolean | null = null;
        let acls: import('../condition/compile.js').AclEvaluation[] = [];
        if (r.when) {
          const o = r.when(ctx);
          acls = o.trace;
          condition = o.result === 'pass';
        }
        const action = r.isDefault ? 'default_backend' : 'use_backend';
        const event = { type: 'rule' as const, phase: 'use_backend' as const, proxy: proxy.name, file: r.file, line: r.line, text: r.text, condition, acls, action, final: true };
        if (condition === false) { trace.push(event); continue; }
        const name = r.name(ctx);
        if (!exists(name)) {
          trace.push({ ...event, change: `no backend named '${name}': rule skipped` });
          continue;
        }
        trace.push({ ...event, change: `backend ${name}` });
        trace.push({ type: 'phase-end', phase: 'use_backend', proxy: proxy.name, verdict: 'final' });
        return { backend: name, how: r.isDefault ? 'default_backend' : r.dynamic ? 'use_backend (dynamic name)' : 'use_backend', line: r.line };
      }
      trace.push({ type: 'phase-end', phase: 'use_backend', proxy: proxy.name, verdict: 'continue' });
      if (self) return { backend: self, how: 'listen section serves itself' };
      return { how: 'no use_backend matched and no default_backend' };
    },
  };
}
