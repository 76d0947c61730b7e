// Helpers for pipeline, action and golden tests: compile a config text once and run requests.
import { checkSources } from '@haplo/parser';
import { compilePipeline, type Pipeline, type SimRequest, type SimResult, type SimulatedReply } from '../../packages/sim/src/index.js';

export const DEFAULTS = ['defaults', '    mode http', '    timeout connect 1s', '    timeout client 1s', '    timeout server 1s'];

/** Compiles a whole config text; throws on parser errors so a broken fixture is loud. */
export function pipelineOf(text: string, files: Record<string, string> = {}): Pipeline {
  const r = checkSources([{ path: 't.cfg', text }], { readFile: (p) => files[p], fileExists: (p) => p in files });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(errors.map((d) => `${d.range.start.line + 1}: ${d.message}`).join('\n'));
  const p = compilePipeline(r.model, { readFile: (path) => files[path] });
  if (p.problems.length) throw new Error(p.problems.map((x) => x.message).join('\n'));
  return p;
}

/** A frontend `fe` with `lines`, default_backend `be` with one server `s1`. */
export function feConfig(lines: string[], backend: string[] = []): string {
  return [...DEFAULTS, 'frontend fe', '    bind 127.0.0.1:8080', ...lines.map((l) => '    ' + l), '    default_backend be',
    'backend be', ...backend.map((l) => '    ' + l), '    server s1 127.0.0.1:9001', ''].join('\n');
}

export function simulate(text: string, request: SimRequest, reply?: SimulatedReply): SimResult {
  const p = pipelineOf(text);
  return p.run(request, p.createRuntime(), reply);
}

/** Forwarded request headers as `name: value` lines. */
export function forwardedHeaders(r: SimResult): string[] {
  return (r.request?.headers ?? []).map(([n, v]) => `${n}: ${v}`);
}

export function responseHeaders(r: SimResult): string[] {
  return (r.response?.headers ?? []).map(([n, v]) => `${n}: ${v}`);
}
