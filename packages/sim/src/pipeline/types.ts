// The pipeline's inputs and outputs: a described request (with its connection), the simulated
// server's reply, and the result whose JSON form `haplo sim --json` prints (issue 3 schema).
import type { Outcome } from '../actions/types.js';
import type { TraceEvent } from '../trace/events.js';

/** One request as a user describes it; every field may be left out. */
export interface SimRequest {
  method?: string;
  /** Origin-form URI (`/p?q`), or a full URL (`http://host/p`, which also sets Host and, for https, TLS). */
  uri?: string;
  version?: string;
  headers?: readonly (readonly [string, string])[];
  body?: string;
  /** `IP` or `IP:PORT` (default 127.0.0.1:40000). */
  src?: string;
  /** `IP:PORT` the client connected to; picks the frontend whose bind matches. */
  dst?: string;
  /** The connection is TLS (ssl_fc). */
  tls?: boolean;
  sni?: string;
  /** Force the frontend by name. */
  frontend?: string;
}

/** How to run one request. */
export interface RunOptions {
  /**
   * Record the trace (default true). False gives the same outcome with `phases` and `trace`
   * empty and no trace objects built: for callers that need only the verdict (the proxy).
   */
  trace?: boolean;
}

/** What the simulated server answers when the request is forwarded. */
export interface SimulatedReply {
  status?: number;
  reason?: string;
  headers?: readonly (readonly [string, string])[];
  body?: string;
}

export interface ForwardedRequest {
  method: string;
  uri: string;
  /** The version the request line says (`1.1`, or `1.0` for an HTTP/1.0 client). */
  version: string;
  headers: [string, string][];
}

export interface ReturnedResponse {
  status: number;
  headers: [string, string][];
}

export interface PhaseRules {
  phase: string;
  proxy: string;
  rules: { line: number; text: string; condition: boolean | null; action: string; final: boolean }[];
}

/** The outcome of one request, as `haplo sim --json` prints it. */
export interface SimResult {
  frontend: string;
  backend: string | null;
  server: string | null;
  outcome: Outcome;
  status: number | null;
  /** What the server receives; null when nothing is forwarded. */
  request: ForwardedRequest | null;
  /** What the client receives; null for reject. */
  response: ReturnedResponse | null;
  phases: PhaseRules[];
  /** Why the server was chosen (use-server, cookie, stick-match, balance, backup, no-server). */
  selection: { reason: string; detail: string } | null;
  /** Variables at the end of the stream, `scope.name` → text. */
  vars: Record<string, string>;
  /** Every event, for renderers and coverage (not part of the JSON form); empty when run without a trace. */
  trace: TraceEvent[];
  /** The body of the response the client receives (HAProxy's own, or the simulated server's). */
  body: string | null;
}
