// Requests as files and flags describe them: `--requests FILE` (a JSON array of
// `{ method, path, headers: [[n, v]…], src, dst, sni, body, … }`) and the single-request flags.
import type { SimRequest, SimulatedReply } from '../pipeline/types.js';

export interface RequestSpec {
  method?: string;
  path?: string;
  uri?: string;
  url?: string;
  headers?: [string, string][] | Record<string, string>;
  src?: string;
  dst?: string;
  sni?: string;
  tls?: boolean;
  body?: string;
  frontend?: string;
  /** The simulated server's reply for this request. */
  response?: { status?: number; headers?: [string, string][] | Record<string, string>; body?: string };
}

const pairs = (h: RequestSpec['headers']): [string, string][] =>
  h === undefined ? [] : Array.isArray(h) ? h.map(([n, v]) => [String(n), String(v)]) : Object.entries(h).map(([n, v]) => [n, String(v)]);

export function fromSpec(s: RequestSpec, defaults: SimRequest = {}): { request: SimRequest; reply?: SimulatedReply } {
  const request: SimRequest = {
    ...defaults,
    method: s.method ?? defaults.method,
    uri: s.url ?? s.uri ?? s.path ?? defaults.uri,
    headers: s.headers !== undefined ? pairs(s.headers) : defaults.headers,
    src: s.src ?? defaults.src,
    dst: s.dst ?? defaults.dst,
    sni: s.sni ?? defaults.sni,
    tls: s.tls ?? (s.sni !== undefined ? true : defaults.tls),
    body: s.body ?? defaults.body,
    frontend: s.frontend ?? defaults.frontend,
  };
  const reply = s.response ? { status: s.response.status, headers: pairs(s.response.headers), body: s.response.body } : undefined;
  return { request, reply };
}

/** `Name: value` → [name, value]; undefined when there is no colon. */
export function headerFlag(text: string): [string, string] | undefined {
  const i = text.indexOf(':');
  if (i <= 0) return undefined;
  return [text.slice(0, i).trim(), text.slice(i + 1).trim()];
}
