// `haplo test` cases: a JSON file `{ "cases": [ { "name", "request" | "requests", "expect" } ] }`.
// Each case runs on a fresh Runtime; in a sequence each request may carry its own `expect`, and
// the case's `expect` applies to the last one. Checking is a pure function of a SimResult.
import type { SimResult } from '../pipeline/types.js';
import { requestSpecProblem, type RequestSpec } from './requests.js';

export interface Expectation {
  backend?: string | null;
  server?: string | null;
  outcome?: string;
  status?: number | null;
  /** Forwarded request headers: a value (all lines joined with ", "), or null for absent. */
  requestHeaders?: Record<string, string | null>;
  responseHeaders?: Record<string, string | null>;
  /** Variables at the end of the stream, `scope.name` → value or null for unset. */
  vars?: Record<string, string | null>;
  /** The forwarded URI. */
  uri?: string;
  method?: string;
}

export interface TestCase {
  name: string;
  request?: RequestSpec;
  requests?: (RequestSpec & { expect?: Expectation })[];
  expect?: Expectation;
}

export interface CaseFile {
  cases: TestCase[];
}

export interface Mismatch {
  what: string;
  expected: unknown;
  actual: unknown;
}

function header(list: readonly [string, string][] | undefined, name: string): string | null {
  if (!list) return null;
  const n = name.toLowerCase();
  const vs = list.filter(([k]) => k.toLowerCase() === n).map(([, v]) => v);
  return vs.length ? vs.join(', ') : null;
}

/** Every way `r` differs from `e`. */
export function compare(e: Expectation, r: SimResult): Mismatch[] {
  const out: Mismatch[] = [];
  const eq = (what: string, expected: unknown, actual: unknown): void => {
    if (expected !== undefined && expected !== actual) out.push({ what, expected, actual });
  };
  eq('backend', e.backend, r.backend);
  eq('server', e.server, r.server);
  eq('outcome', e.outcome, r.outcome);
  eq('status', e.status, r.status);
  eq('uri', e.uri, r.request?.uri ?? null);
  eq('method', e.method, r.request?.method ?? null);
  for (const [n, v] of Object.entries(e.requestHeaders ?? {})) eq(`request header ${n}`, v, header(r.request?.headers, n));
  for (const [n, v] of Object.entries(e.responseHeaders ?? {})) eq(`response header ${n}`, v, header(r.response?.headers, n));
  for (const [n, v] of Object.entries(e.vars ?? {})) eq(`var ${n}`, v, r.vars[n] ?? null);
  return out;
}

/** Validates the parsed JSON shape; returns a message for the first problem. */
export function validateCaseFile(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null || !Array.isArray((v as CaseFile).cases)) return "the file must be an object with a 'cases' array";
  for (const [i, c] of (v as CaseFile).cases.entries()) {
    if (typeof c !== 'object' || c === null) return `case ${i + 1} is not an object`;
    if (typeof c.name !== 'string') return `case ${i + 1} has no 'name'`;
    if (!c.request && !c.requests) return `case '${c.name}' has neither 'request' nor 'requests'`;
    if (c.requests && !Array.isArray(c.requests)) return `case '${c.name}': 'requests' must be an array`;
    for (const [j, r] of (c.requests ?? [c.request]).entries()) {
      const problem = requestSpecProblem(r);
      if (problem) return `case '${c.name}'${c.requests ? `, request ${j + 1}` : ''}: ${problem}`;
    }
  }
  return undefined;
}
