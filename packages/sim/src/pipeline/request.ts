// Turning a described request into the stream's starting point: the frontend it reaches (by
// `--frontend`, by the bind matching `--dst`, or the only one), the addresses, and the request
// line and headers (a full URL sets Host and, for https, TLS).
import type { BindModel } from '@haplo/parser';
import type { CompiledProxy } from './compile.js';
import type { SimRequest } from './types.js';

/** A request that cannot be simulated as described (unknown frontend, bad address). */
export class SimInputError extends Error {
  override name = 'SimInputError';
}

/** `IP`, `IP:PORT`, `[v6]:PORT` or bare v6 → parts. */
export function splitHostPort(text: string): { host: string; port?: number } {
  const br = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (br) return { host: br[1]!, port: br[2] === undefined ? undefined : Number(br[2]) };
  const colons = text.split(':').length - 1;
  if (colons === 1) {
    const [h, p] = text.split(':');
    return { host: h!, port: Number(p) };
  }
  return { host: text };
}

const ANY = new Set(['', '*', '0.0.0.0', '::']);

function bindMatches(b: BindModel, host: string, port: number | undefined): boolean {
  return b.addresses.some((a) =>
    (ANY.has(a.host) || a.host === host) &&
    (port === undefined || (a.portStart !== undefined && port >= a.portStart && port <= (a.portEnd ?? a.portStart))));
}

/** The frontend a request reaches, and the destination it connected to. */
export function pickFrontend(frontends: readonly CompiledProxy[], r: SimRequest): { fe: CompiledProxy; dst: string; dstPort: number } {
  let fe: CompiledProxy | undefined;
  const dst = r.dst === undefined ? undefined : splitHostPort(r.dst);
  if (r.frontend !== undefined) {
    fe = frontends.find((f) => f.name === r.frontend);
    if (!fe) throw new SimInputError(`no frontend named '${r.frontend}' (frontends: ${frontends.map((f) => f.name).join(', ') || 'none'})`);
  } else if (dst) {
    fe = frontends.find((f) => f.model.binds.some((b) => bindMatches(b, dst.host, dst.port)));
    if (!fe) throw new SimInputError(`no frontend binds ${r.dst}`);
  } else if (frontends.length === 1) {
    fe = frontends[0]!;
  } else {
    const withBind = frontends.filter((f) => f.model.binds.length > 0);
    if (withBind.length === 1) fe = withBind[0]!;
    else throw new SimInputError(frontends.length === 0 ? 'the configuration has no frontend' : `several frontends (${frontends.map((f) => f.name).join(', ')}): choose one with --frontend NAME or --dst IP:PORT`);
  }
  const first = fe.model.binds[0]?.addresses[0];
  const host = dst?.host ?? (first && !ANY.has(first.host) ? first.host : '127.0.0.1');
  const port = dst?.port ?? first?.portStart ?? 80;
  return { fe, dst: host, dstPort: port };
}

export interface NormalizedRequest {
  method: string;
  uri: string;
  version: string;
  headers: [string, string][];
  body: string;
  tls: boolean;
}

/** A URL becomes an origin-form request with a Host header; a bare path stays as is. */
export function normalizeRequest(r: SimRequest): NormalizedRequest {
  let uri = r.uri ?? '/';
  const headers: [string, string][] = (r.headers ?? []).map(([n, v]) => [n, v]);
  let tls = r.tls ?? false;
  const m = /^(https?):\/\/([^/?#]*)([^#]*)/i.exec(uri);
  if (m) {
    if (m[1]!.toLowerCase() === 'https') tls = r.tls ?? true;
    if (!headers.some(([n]) => n.toLowerCase() === 'host')) headers.unshift(['host', m[2]!]);
    uri = m[3] === '' ? '/' : m[3]!.startsWith('/') ? m[3]! : '/' + m[3];
  } else if (!uri.startsWith('/') && uri !== '*') {
    uri = '/' + uri;
  }
  return { method: r.method ?? (r.body !== undefined ? 'POST' : 'GET'), uri, version: r.version ?? '1.1', headers, body: r.body ?? '', tls };
}
