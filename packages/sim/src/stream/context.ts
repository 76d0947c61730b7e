// The transaction context every fetch reads: the connection, the HTTP request and response,
// variables, the proxies and server involved, the phase, captures, and injected clock/random.
// The simulator builds one from a described request; the proxy builds one from sockets.
import type { catalogue } from '@haplo/parser';
import type { Address } from '../sample/address.js';
import { parseAddress } from '../sample/address.js';
import type { Sample } from '../sample/sample.js';
import { headerList, type HeaderList } from './headers.js';

export type Phase = catalogue.Phase;

export interface TlsInfo {
  /** SNI sent by the client, when any. */
  sni?: string;
  /** Negotiated ALPN protocol (`h2`, `http/1.1`). */
  alpn?: string;
  /** `TLSv1.3`, `TLSv1.2`… */
  protocol?: string;
  /** ClientHello version as HAProxy's req.ssl_ver reads it: (major << 16) | minor, e.g. 0x30003. */
  helloVersion?: number;
  /** The client presented a certificate. */
  clientCert?: boolean;
  /** Negotiated cipher, OpenSSL name (`TLS_AES_256_GCM_SHA384`, `ECDHE-RSA-AES128-GCM-SHA256`). */
  cipher?: string;
  /** The TLS session was resumed. */
  resumed?: boolean;
  /** Client certificate verify result (X509_V_ERR code, 0 when verified or when none was sent). */
  verifyResult?: number;
  /** Client certificate subject / issuer as `/C=FR/O=Org/CN=name` (HAProxy's one-line form). */
  clientSubject?: string;
  clientIssuer?: string;
}

export interface Connection {
  src: Address;
  srcPort: number;
  dst: Address;
  dstPort: number;
  /** Present when the frontend connection is TLS (ssl_fc); undefined for plain TCP. */
  tls?: TlsInfo;
  /**
   * A TLS ClientHello seen in the request buffer (TCP-mode inspection: req.ssl_sni, req.ssl_ver,
   * req.ssl_hello_type), described rather than parsed.
   */
  clientHello?: TlsInfo;
}

export interface HttpRequest {
  method: string;
  /** The URI as received: origin form (`/p?q`), absolute form, `*` or authority. */
  uri: string;
  /** `1.1`, `1.0`, `2.0`. */
  version: string;
  headers: HeaderList;
  body: Uint8Array;
  /** False while more body may come (body fetches then give MISS). */
  bodyComplete: boolean;
}

export interface HttpResponse {
  status: number;
  reason: string;
  version: string;
  headers: HeaderList;
  body: Uint8Array;
}

export type VarScope = 'proc' | 'sess' | 'txn' | 'req' | 'res';
export const VAR_SCOPES: readonly VarScope[] = ['proc', 'sess', 'txn', 'req', 'res'];

/** Variables by scope; `proc` is usually shared by every stream of a Runtime. */
export type Variables = Record<VarScope, Map<string, Sample>>;

type VarMap = Map<string, Sample>;

/**
 * A connection's `sess` scope, shared by its streams. Its map is made on first use: most
 * connections set no session variable, and an idle keep-alive connection held an empty Map.
 */
export class SessionScope {
  private m: VarMap | undefined;

  constructor(map?: VarMap) {
    this.m = map;
  }

  get map(): VarMap {
    return (this.m ??= new Map());
  }
}

/**
 * The scopes of one stream. `txn`, `req` and `res` are made on first use: most streams set no
 * variable, and three empty Maps per request were a large share of a proxied request's garbage.
 * `proc` is the Runtime's shared map; `sess` the connection's (SessionScope).
 */
export class StreamVariables implements Variables {
  private t: VarMap | undefined;
  private q: VarMap | undefined;
  private s: VarMap | undefined;

  constructor(readonly proc: VarMap, private readonly session: SessionScope, txn?: VarMap, req?: VarMap, res?: VarMap) {
    this.t = txn;
    this.q = req;
    this.s = res;
  }

  get sess(): VarMap {
    return this.session.map;
  }

  get txn(): VarMap {
    return (this.t ??= new Map());
  }

  get req(): VarMap {
    return (this.q ??= new Map());
  }

  get res(): VarMap {
    return (this.s ??= new Map());
  }

  /** Empties the `req` scope, without making it when it was never used. */
  clearReq(): void {
    this.q?.clear();
  }
}

/** Empties the `req` scope (the request is forwarded: HAProxy prunes request variables). */
export function clearRequestVars(vars: Variables): void {
  if (vars instanceof StreamVariables) vars.clearReq();
  else vars.req.clear();
}

export interface Captures {
  /** `capture request header` slots, by declaration index. */
  requestHeaders: (string | undefined)[];
  responseHeaders: (string | undefined)[];
  /** `http-request capture … id N` / `capture-req(N)` slots live in the same arrays. */
}

export interface StreamContext {
  conn: Connection;
  /**
   * The stream's mode. HTTP streams hold HTX in their request channel (no raw bytes); a TCP
   * stream's request buffer is the described request's body. Undefined means HTTP.
   */
  mode?: 'tcp' | 'http';
  /** Undefined until an HTTP request has been parsed (or in TCP mode). */
  request?: HttpRequest;
  /** The request line as first received, for capture.req.* and logs (rewrites do not change it). */
  received?: { method: string; uri: string; version: string };
  response?: HttpResponse;
  vars: Variables;
  frontend: string;
  backend?: string;
  server?: string;
  phase: Phase;
  /** The inspect-delay has expired (or no more data can come): no more MISS. */
  final: boolean;
  captures: Captures;
  /** Milliseconds since the epoch. */
  now(): number;
  /** A float in [0, 1). */
  random(): number;
  /** Process environment for env(). */
  env(name: string): string | undefined;
  hostname: string;
  uniqueId?: string;
  /** Usable servers of a backend (nbsrv); undefined when unknown. */
  serverCounts?(backend: string): number | undefined;
}

export interface DescribedRequest {
  method?: string;
  uri?: string;
  version?: string;
  headers?: readonly (readonly [string, string])[];
  body?: string | Uint8Array;
  bodyComplete?: boolean;
}

export interface ContextOptions {
  /** `tcp` makes the request body the raw request buffer (payload fetches); default `http`. */
  mode?: 'tcp' | 'http';
  src?: string;
  srcPort?: number;
  dst?: string;
  dstPort?: number;
  tls?: TlsInfo;
  clientHello?: TlsInfo;
  request?: DescribedRequest;
  response?: { status?: number; reason?: string; version?: string; headers?: readonly (readonly [string, string])[]; body?: string | Uint8Array };
  frontend?: string;
  backend?: string;
  server?: string;
  phase?: Phase;
  final?: boolean;
  vars?: Partial<Record<VarScope, Map<string, Sample>>>;
  now?: () => number;
  random?: () => number;
  env?: Record<string, string>;
  hostname?: string;
  uniqueId?: string;
  serverCounts?: (backend: string) => number | undefined;
}

const encoder = new TextEncoder();
const bytesOf = (b: string | Uint8Array | undefined): Uint8Array =>
  b === undefined || b === '' ? new Uint8Array(0) : typeof b === 'string' ? encoder.encode(b) : b;

function address(text: string | undefined, fallback: string): Address {
  return parseAddress(text ?? fallback) ?? parseAddress(fallback)!;
}

/** A context for a described request; defaults: 127.0.0.1:40000 → 127.0.0.1:80, `GET / HTTP/1.1`, fe-http-request. */
export function createContext(o: ContextOptions = {}): StreamContext {
  const r = o.request;
  const request: HttpRequest | undefined = r === undefined ? undefined : {
    method: r.method ?? 'GET',
    uri: r.uri ?? '/',
    version: r.version ?? '1.1',
    headers: headerList((r.headers ?? []).map(([n, v]) => [n, v.trim()] as const)),
    body: bytesOf(r.body),
    bodyComplete: r.bodyComplete ?? true,
  };
  const res = o.response;
  const env = o.env ?? {};
  return {
    mode: o.mode,
    conn: {
      src: address(o.src, '127.0.0.1'),
      srcPort: o.srcPort ?? 40000,
      dst: address(o.dst, '127.0.0.1'),
      dstPort: o.dstPort ?? 80,
      tls: o.tls,
      clientHello: o.clientHello,
    },
    request,
    received: request && { method: request.method, uri: request.uri, version: request.version },
    response: res && {
      status: res.status ?? 200,
      reason: res.reason ?? 'OK',
      version: res.version ?? '1.1',
      headers: headerList((res.headers ?? []).map(([n, v]) => [n, v.trim()] as const)),
      body: bytesOf(res.body),
    },
    vars: new StreamVariables(o.vars?.proc ?? new Map(), new SessionScope(o.vars?.sess), o.vars?.txn, o.vars?.req, o.vars?.res),
    frontend: o.frontend ?? 'fe',
    backend: o.backend,
    server: o.server,
    phase: o.phase ?? (res ? 'fe-http-response' : 'fe-http-request'),
    final: o.final ?? true,
    captures: { requestHeaders: [], responseHeaders: [] },
    now: o.now ?? (() => 0),
    random: o.random ?? seededRandom(1),
    env: (name) => env[name],
    hostname: o.hostname ?? 'localhost',
    uniqueId: o.uniqueId,
    serverCounts: o.serverCounts,
  };
}

/**
 * What every stream of one connection shares: the addresses (parsed once per connection, not per
 * request) and the injected functions. `streamContext` builds from it exactly what
 * `createContext` builds from the same options, without the per-request parsing and closures.
 */
export interface StreamBase {
  mode: 'tcp' | 'http';
  src: Address;
  srcPort: number;
  dst: Address;
  dstPort: number;
  tls: TlsInfo | undefined;
  frontend: string;
  proc: Map<string, Sample>;
  sess: SessionScope;
  now: () => number;
  random: () => number;
  env: (name: string) => string | undefined;
  serverCounts: (backend: string) => number | undefined;
}

export interface StreamBaseOptions extends Omit<StreamBase, 'src' | 'dst' | 'env'> {
  src: string;
  dst: string;
  env: Record<string, string>;
}

export function streamBase(o: StreamBaseOptions): StreamBase {
  return { ...o, src: sharedAddress(o.src), dst: sharedAddress(o.dst), env: envLookup(o.env) };
}

// Connections share the parsed form of an address text (the listener's address for every
// client, a client's for all its connections): an Address is never edited in place (set-src
// replaces it), and each parsed one costs an idle connection two typed-array objects.
const addresses = new Map<string, Address>();

function sharedAddress(text: string): Address {
  let a = addresses.get(text);
  if (!a) {
    a = address(text, '127.0.0.1');
    if (addresses.size >= 4096) addresses.clear();
    addresses.set(text, a);
  }
  return a;
}

/** One `env()` function per environment object, not one per connection. */
const envLookups = new WeakMap<Record<string, string>, (name: string) => string | undefined>();

function envLookup(env: Record<string, string>): (name: string) => string | undefined {
  let f = envLookups.get(env);
  if (!f) envLookups.set(env, (f = (name) => env[name]));
  return f;
}

/** A new stream on a connection: `createContext` with the base's options and no request yet. */
export function streamContext(b: StreamBase): StreamContext {
  // Same fields in the same order as createContext, so every context has one shape.
  return {
    mode: b.mode,
    conn: { src: b.src, srcPort: b.srcPort, dst: b.dst, dstPort: b.dstPort, tls: b.tls, clientHello: undefined },
    request: undefined,
    received: undefined,
    response: undefined,
    vars: new StreamVariables(b.proc, b.sess),
    frontend: b.frontend,
    backend: undefined,
    server: undefined,
    phase: 'fe-http-request',
    final: true,
    captures: { requestHeaders: [], responseHeaders: [] },
    now: b.now,
    random: b.random,
    env: b.env,
    hostname: 'localhost',
    uniqueId: undefined,
    serverCounts: b.serverCounts,
  };
}

/**
 * The raw request buffer as layer-6 payload fetches see it: a TCP stream's described body;
 * undefined for HTTP streams, whose channel holds HTX (payload.c gives up on IS_HTX_STRM).
 */
export function rawRequestBuffer(ctx: StreamContext): Uint8Array | undefined {
  if (ctx.mode !== 'tcp') return undefined;
  return ctx.request?.body ?? new Uint8Array(0);
}

/** A small deterministic PRNG (mulberry32), for `rand` in simulations. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RESPONSE_PHASES: ReadonlySet<Phase> = new Set<Phase>([
  'be-tcp-response', 'be-http-response', 'be-http-response-body', 'be-stick-store',
  'fe-tcp-response', 'fe-http-response', 'fe-http-response-body',
]);

/** Whether the context is on the response side (hdr() then reads the response). */
export function isResponsePhase(phase: Phase): boolean {
  return RESPONSE_PHASES.has(phase);
}

/** The methods HAProxy knows by number (HTTP_METH_*); any other is HTTP_METH_OTHER. */
export const KNOWN_METHODS: ReadonlySet<string> = new Set(['OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'CONNECT']);

/**
 * The method as HAProxy's `txn->meth` holds it, which the `method` fetch, METH_* ACLs and cookie
 * persistence read: fixed when the request is parsed, so `set-method` does not change it — except
 * that an unknown method is read back from the (possibly rewritten) request line.
 */
export function txnMethod(ctx: StreamContext): string | undefined {
  const r = ctx.request;
  if (!r) return undefined;
  const parsed = ctx.received?.method ?? r.method;
  return KNOWN_METHODS.has(parsed) ? parsed : r.method;
}
