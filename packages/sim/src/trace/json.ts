// The JSON face of a result (issue 3's `--json` schema): phases with the rules that ran, no
// ACL detail; plus the selection reason and variables, which `haplo test` reads.
import type { SimResult, PhaseRules } from '../pipeline/types.js';
import type { TraceEvent } from './events.js';

/** Phases that ran rules, each with its rules in order. */
export function jsonPhases(events: readonly TraceEvent[]): PhaseRules[] {
  const out: PhaseRules[] = [];
  let current: PhaseRules | undefined;
  for (const e of events) {
    if (e.type === 'phase') current = undefined;
    if (e.type !== 'rule') continue;
    if (!current || current.phase !== e.phase || current.proxy !== e.proxy) {
      current = { phase: e.phase, proxy: e.proxy, rules: [] };
      out.push(current);
    }
    current.rules.push({ line: e.line, text: e.text, condition: e.condition, action: e.action, final: e.final });
  }
  return out;
}

/** The result as a plain JSON value, without the full event trace. */
export function resultToJson(r: SimResult): Record<string, unknown> {
  return {
    frontend: r.frontend,
    backend: r.backend,
    server: r.server,
    outcome: r.outcome,
    status: r.status,
    request: r.request,
    response: r.response,
    phases: r.phases,
    selection: r.selection,
    vars: r.vars,
  };
}

export function renderJson(results: SimResult | readonly SimResult[]): string {
  const value = Array.isArray(results) ? (results as readonly SimResult[]).map(resultToJson) : resultToJson(results as SimResult);
  return JSON.stringify(value, null, 2) + '\n';
}
