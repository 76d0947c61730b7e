// The %-variables of log-format strings (manual §8.2.6 table), each compiled once for its
// flags into a renderer over a LineInput. A renderer returning null wrote nothing (captures
// when none are declared), which lets the following separator merge as in HAProxy.
import { formatAddress } from '@haplo/sim';
import { gmtDate, localMillisDate, localOffsetDate } from './log-dates.js';
import {
  encodeLogText, hex4, hexAddress, hexPort, HEADER_ENCODED, textValue, URL_ENCODED, type NodeFlags,
} from './log-encoding.js';
import type { LineInput } from './line-input.js';
import { methodOf, pathOf, pathOnlyOf, queryOf, requestLine, uriOf, versionOf } from './request-line.js';
import { REQUEST_COOKIE_LETTER, RESPONSE_COOKIE_LETTER } from './termination.js';

export type Renderer = (x: LineInput) => string | null;

interface VariableDef {
  /** Only usable when the proxy is in mode http (HAProxy refuses it otherwise). */
  http?: boolean;
  make(f: NodeFlags): Renderer;
}

// ---- value kinds ------------------------------------------------------------------------------

const text = (get: (x: LineInput) => string | undefined): VariableDef['make'] => (f) => (x) => textValue(get(x), f);

/** Dates are written as they are: never quoted nor escaped. */
const date = (get: (x: LineInput) => string): VariableDef['make'] => () => get;

/** Numbers are never quoted. */
const num = (get: (x: LineInput) => number): VariableDef['make'] => () => (x) => String(get(x));

/** Numbers with a hexadecimal form under X. */
const counter = (get: (x: LineInput) => number): VariableDef['make'] => (f) => (f.hex ? (x) => hex4(get(x)) : (x) => String(get(x)));

/** Totals that option logasap marks with `+` (they are not final yet). */
const total = (get: (x: LineInput) => number): VariableDef['make'] => () => (x) => (x.fe.early ? '+' : '') + String(get(x));

const ip = (get: (x: LineInput) => string | undefined): VariableDef['make'] => (f) => (x) => {
  const a = get(x);
  if (a !== undefined && f.hex) return hexAddress(a) ?? textValue(a, f);
  return textValue(a, f);
};

const port = (get: (x: LineInput) => number | undefined): VariableDef['make'] => (f) => (x) => {
  const p = get(x);
  if (p === undefined) return textValue(undefined, f);
  return f.hex ? hexPort(p) : String(p);
};

/** A request-line part: `#XX` for `"`, `#` and non-printable bytes, optional quotes. */
const urlPart = (get: (line: string | undefined) => string): VariableDef['make'] => (f) => (x) => {
  const v = encodeLogText(get(requestLine(x.ctx)), URL_ENCODED, f.escape);
  return f.quote ? `"${v}"` : v;
};

// ---- timers (manual §8.4; -1 when the event did not happen) -----------------------------------

const rq = (x: LineInput): number => x.rec.request;
const close = (x: LineInput): number => x.rec.closeAt(x.now);
const idleAndHandshake = (x: LineInput): number => (x.rec.idle >= 0 ? x.rec.idle + x.rec.handshake : 0);
const requestStart = (x: LineInput): number => x.rec.acceptDate + idleAndHandshake(x);

/**
 * A request that failed before its head was complete has no stream in HAProxy: its byte counts
 * read 0 and it has no capture blocks.
 */
const streamless = (x: LineInput): boolean => x.rec.http && x.rec.request < 0 && x.ctx.received === undefined;

// ---- captures ---------------------------------------------------------------------------------

function captureBlock(slots: (x: LineInput) => readonly (string | undefined)[], count: (x: LineInput) => number): VariableDef['make'] {
  return (f) => (x) => {
    const n = count(x);
    if (n === 0 || streamless(x)) return null;
    const values = slots(x);
    let out = f.quote ? '"{' : '{';
    for (let i = 0; i < n; i++) {
      if (i) out += '|';
      const v = values[i];
      if (v !== undefined) out += encodeLogText(v, HEADER_ENCODED, f.escape);
    }
    return out + (f.quote ? '}"' : '}');
  };
}

function captureList(slots: (x: LineInput) => readonly (string | undefined)[], count: (x: LineInput) => number): VariableDef['make'] {
  return (f) => (x) => {
    const n = count(x);
    if (n === 0 || streamless(x)) return null;
    const values = slots(x);
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      const v = values[i];
      const body = v !== undefined ? encodeLogText(v, HEADER_ENCODED, f.escape) : f.quote ? '' : '-';
      parts.push(f.quote ? `"${body}"` : body);
    }
    return parts.join(' ');
  };
}

const reqCaps = (x: LineInput): readonly (string | undefined)[] => x.ctx.captures.requestHeaders;
const resCaps = (x: LineInput): readonly (string | undefined)[] => x.ctx.captures.responseHeaders;

// ---- the table ----------------------------------------------------------------------------------

function status(x: LineInput): number {
  if (x.rec.status !== undefined) return x.rec.status;
  if (x.ctx.response) return x.ctx.response.status;
  // HAProxy's txn status starts at -1; a TCP stream has no transaction (0).
  return x.rec.http ? -1 : 0;
}

function cookieLetters(x: LineInput): string {
  if (!x.rec.http || x.ctx.backend === undefined || !x.fe.cookieBackends.has(x.ctx.backend)) return '--';
  return REQUEST_COOKIE_LETTER[x.rec.requestCookie ?? 'none'] + RESPONSE_COOKIE_LETTER[x.rec.responseCookie ?? 'none'];
}

const VARIABLES: Readonly<Record<string, VariableDef>> = {
  B: { make: total((x) => (streamless(x) ? 0 : x.rec.bytesOut)) },
  U: { make: num((x) => (streamless(x) ? 0 : x.rec.bytesIn)) },
  CC: { http: true, make: text((x) => x.rec.capturedRequestCookie) },
  CS: { http: true, make: text((x) => x.rec.capturedResponseCookie) },
  H: { make: text((x) => x.fe.hostname) },
  HM: { http: true, make: urlPart(methodOf) },
  HP: { http: true, make: urlPart(pathOf) },
  HPO: { http: true, make: urlPart(pathOnlyOf) },
  HQ: { http: true, make: urlPart(queryOf) },
  HU: { http: true, make: urlPart(uriOf) },
  HV: { http: true, make: urlPart(versionOf) },
  ID: { make: text((x) => x.ctx.uniqueId) },
  ST: { make: num(status) },
  T: { make: date((x) => gmtDate(x.rec.acceptDate)) },
  Tl: { make: date((x) => localOffsetDate(x.rec.acceptDate)) },
  Ts: { make: (f) => (f.hex ? (x) => hex4(Math.floor(x.rec.acceptDate / 1000)) : (x) => String(Math.floor(x.rec.acceptDate / 1000))) },
  ms: { make: (f) => (f.hex ? (x) => (x.rec.acceptDate % 1000).toString(16).toUpperCase().padStart(2, '0') : (x) => String(Math.floor(x.rec.acceptDate % 1000)).padStart(3, '0')) },
  t: { make: date((x) => localMillisDate(x.rec.acceptDate)) },
  tr: { http: true, make: date((x) => localMillisDate(requestStart(x))) },
  trg: { http: true, make: date((x) => gmtDate(requestStart(x))) },
  trl: { http: true, make: date((x) => localOffsetDate(requestStart(x))) },
  Th: { make: num((x) => x.rec.handshake) },
  Ti: { http: true, make: num((x) => x.rec.idle) },
  TR: { http: true, make: num((x) => (rq(x) >= 0 ? rq(x) - x.rec.idle - x.rec.handshake : -1)) },
  Tq: { http: true, make: num(rq) },
  Tw: { make: num((x) => (x.rec.queue >= 0 ? x.rec.queue - rq(x) : -1)) },
  Tc: { make: num((x) => (x.rec.connect >= 0 ? x.rec.connect - x.rec.queue : -1)) },
  Tr: { http: true, make: num((x) => (x.rec.data >= 0 ? x.rec.data - x.rec.connect : -1)) },
  Td: {
    make: num((x) => {
      if (x.rec.http) return x.rec.data >= 0 ? close(x) - x.rec.data : -1;
      return x.rec.connect >= 0 ? close(x) - x.rec.connect : -1;
    }),
  },
  Ta: { http: true, make: total((x) => close(x) - idleAndHandshake(x)) },
  Tt: { make: total(close) },
  Tu: { make: total((x) => close(x) - (x.rec.idle >= 0 ? x.rec.idle : 0)) },
  ac: { make: num((x) => x.counts.actconn) },
  fc: { make: num((x) => x.counts.feconn) },
  bc: { make: num((x) => x.counts.beconn) },
  sc: { make: num((x) => x.counts.srvConn) },
  rc: { make: () => (x) => (x.rec.redispatched ? '+' : '') + String(x.rec.retries) },
  sq: { make: num((x) => x.rec.srvQueue) },
  bq: { make: num((x) => x.rec.backendQueue) },
  b: { make: text((x) => x.ctx.backend ?? x.ctx.frontend) },
  f: { make: text((x) => x.fe.name) },
  ft: { make: (f) => (x) => { const v = x.fe.name + (x.fe.tls ? '~' : ''); return f.quote ? `"${v}"` : v; } },
  s: { make: text((x) => x.ctx.server ?? '<NOSRV>') },
  ci: { make: ip((x) => formatAddress(x.ctx.conn.src)) },
  cp: { make: port((x) => x.ctx.conn.srcPort) },
  fi: { make: ip((x) => formatAddress(x.ctx.conn.dst)) },
  fp: { make: port((x) => x.ctx.conn.dstPort) },
  bi: { make: ip((x) => x.rec.serverConnection?.src) },
  bp: { make: port((x) => x.rec.serverConnection?.srcPort) },
  si: { make: ip((x) => x.rec.serverConnection?.dst) },
  sp: { make: port((x) => x.rec.serverConnection?.dstPort) },
  hr: { make: captureBlock(reqCaps, (x) => x.fe.requestCaptures) },
  hrl: { make: captureList(reqCaps, (x) => x.fe.requestCaptures) },
  hs: { make: captureBlock(resCaps, (x) => x.fe.responseCaptures) },
  hsl: { make: captureList(resCaps, (x) => x.fe.responseCaptures) },
  lc: { make: counter((x) => x.logCount) },
  pid: { make: counter((x) => x.fe.pid) },
  rt: { make: counter((x) => x.rec.requestId) },
  r: { http: true, make: (f) => (x) => { const v = encodeLogText(requestLine(x.ctx) ?? '<BADREQ>', URL_ENCODED, f.escape); return f.quote ? `"${v}"` : v; } },
  sslc: { make: text((x) => (x.ctx.conn.tls ? x.rec.tlsCipher : undefined)) },
  sslv: { make: text((x) => x.ctx.conn.tls?.protocol) },
  ts: { make: () => (x) => x.rec.terminationState },
  tsc: { make: () => (x) => x.rec.terminationState + cookieLetters(x) },
};

export function formatVariable(name: string): VariableDef | undefined {
  return Object.prototype.hasOwnProperty.call(VARIABLES, name) ? VARIABLES[name] : undefined;
}

export const FORMAT_VARIABLE_NAMES: readonly string[] = Object.keys(VARIABLES);
