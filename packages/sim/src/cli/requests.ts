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

const STRING_FIELDS = ['method', 'path', 'uri', 'url', 'src', 'dst', 'sni', 'body', 'frontend'] as const;

function headersProblem(h: unknown): string | undefined {
  if (h === undefined) return undefined;
  if (Array.isArray(h)) {
    return h.every((p) => Array.isArray(p) && p.length === 2 && p.every((x) => typeof x === 'string' || typeof x === 'number'))
      ? undefined : "'headers' must be [name, value] pairs";
  }
  if (typeof h === 'object' && h !== null) {
    return Object.values(h).every((x) => typeof x === 'string' || typeof x === 'number') ? undefined : "'headers' values must be strings";
  }
  return "'headers' must be [name, value] pairs or an object";
}

/** Checks one request of a `--requests` file or a test case; returns a message for the first problem. */
export function requestSpecProblem(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'a request must be an object';
  const s = v as Record<string, unknown>;
  for (const k of STRING_FIELDS) if (s[k] !== undefined && typeof s[k] !== 'string') return `'${k}' must be a string`;
  if (s.tls !== undefined && typeof s.tls !== 'boolean') return "'tls' must be true or false";
  const hp = headersProblem(s.headers);
  if (hp) return hp;
  if (s.response !== undefined) {
    if (typeof s.response !== 'object' || s.response === null) return "'response' must be an object";
    const r = s.response as Record<string, unknown>;
    if (r.status !== undefined && !(Number.isInteger(r.status) && (r.status as number) >= 100 && (r.status as number) <= 599)) return "'response.status' must be a status code";
    if (r.body !== undefined && typeof r.body !== 'string') return "'response.body' must be a string";
    const rp = headersProblem(r.headers);
    if (rp) return `response: ${rp}`;
  }
  return undefined;
}
