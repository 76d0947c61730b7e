// One frontend's logger, compiled once at load: its format, structured data and unique-id
// format as renderers, its targets, options and captures. A frontend without targets gets the
// disabled logger, whose calls do nothing (captures excepted: they also feed capture.* fetches).
import { formatAddress, type CompileEnv, type StreamContext } from '@haplo/sim';
import { DEFAULT_SD } from './builtin-formats.js';
import { compileLogFormat, type LineRenderer } from './format-compiler.js';
import type { FrontendLogSettings } from './frontend-log-settings.js';
import { captureRequestHead, captureResponseHead, type HeaderPairs } from './header-captures.js';
import type { ConnectionCounts, FrontendLogFacts, LineInput } from './line-input.js';
import type { LogSinks } from './log-sinks.js';
import type { LogTarget } from './log-targets.js';
import { StreamLogRecord, type RecordOptions } from './stream-log-record.js';
import { effectiveFormat, syslogHeader, type HeaderFacts } from './syslog-header.js';
import { LEVEL_ERR, LEVEL_INFO, levelNumber } from './syslog-names.js';

export interface FrontendLogger {
  readonly name: string;
  /** Lines can be sent (the frontend has log targets and logs streams). */
  readonly enabled: boolean;
  /** option logasap: emit once the response head is forwarded (HTTP) or the server connected (TCP). */
  readonly early: boolean;
  /** A log format applies; false means the accept-time "Connect from" line (see `connected`). */
  readonly hasFormat: boolean;
  /** A new record for a stream of this frontend, accepted now. */
  record(o?: RecordOptions): StreamLogRecord;
  /** Request header and cookie captures, from the head as received (before the rules run). */
  captureRequest(ctx: StreamContext, rec: StreamLogRecord, headers: HeaderPairs): void;
  /** Response header and cookie captures, from the server's head as received. */
  captureResponse(ctx: StreamContext, rec: StreamLogRecord, headers: HeaderPairs): void;
  /** At accept: the "Connect from …" line of frontends without a log format. */
  connected(ctx: StreamContext): void;
  /** Logs the stream (unless dontlognull, dontlog-normal or set-log-level silent say not to). */
  emit(rec: StreamLogRecord, ctx: StreamContext): void;
  /** The message and level `emit` would send, without any syslog header; undefined when not logged. */
  message(rec: StreamLogRecord, ctx: StreamContext, now?: number): LogMessage | undefined;
}

export interface LogMessage {
  text: string;
  level: number;
  /** RFC 5424 structured data. */
  sd: string;
}

/** What every frontend logger of a process shares. */
export interface LoggingShared {
  sinks: LogSinks;
  /** The clock (ms since the epoch). */
  now(): number;
  /** Connection counts at log time. */
  counts(frontend: string, ctx: StreamContext): ConnectionCounts;
  pid: number;
  /** System hostname (%H). */
  hostname: string;
  /** Global log-send-hostname, when set. */
  sendHostname?: string;
  /** Global log-tag, else the program name. */
  tag: string;
  /** Longest message built (the largest `len` of all targets, 1024 at least), newline excluded. */
  maxMessage: number;
  /** Compile problems of sample expressions and formats. */
  report(message: string): void;
  /** Environment for %[…] expressions. */
  env: CompileEnv;
}

export interface FrontendFacts {
  name: string;
  tls: boolean;
  /** Backends with a `cookie` line. */
  cookieBackends: ReadonlySet<string>;
}

export function createFrontendLogger(fe: FrontendFacts, settings: FrontendLogSettings, targets: readonly LogTarget[], shared: LoggingShared): FrontendLogger {
  const http = settings.http;
  const capture = {
    request: (ctx: StreamContext, rec: StreamLogRecord, headers: HeaderPairs): void => {
      if (settings.requestCaptures.length || settings.cookieCapture) captureRequestHead(ctx, headers, settings.requestCaptures, settings.cookieCapture, rec);
    },
    response: (ctx: StreamContext, rec: StreamLogRecord, headers: HeaderPairs): void => {
      if (settings.responseCaptures.length || settings.cookieCapture) captureResponseHead(ctx, headers, settings.responseCaptures, settings.cookieCapture, rec);
    },
  };
  const newRecord = (o?: RecordOptions): StreamLogRecord => new StreamLogRecord({ http, now: shared.now, ...o });

  if (targets.length === 0) {
    return {
      name: fe.name, enabled: false, early: false, hasFormat: settings.format !== undefined,
      record: newRecord, captureRequest: capture.request, captureResponse: capture.response,
      connected: () => {}, emit: () => {}, message: () => undefined,
    };
  }

  const compile = (text: string, what: string): LineRenderer =>
    compileLogFormat(text, { http, env: shared.env, report: (p) => shared.report(`proxy '${fe.name}': ${what}: ${p.message}`) });
  const line = settings.format !== undefined ? compile(settings.format, settings.formatSource ?? 'log-format') : undefined;
  const sd = settings.sdFormat !== undefined ? compile(settings.sdFormat, 'log-format-sd') : undefined;
  const uniqueId = settings.uniqueIdFormat !== undefined ? compile(settings.uniqueIdFormat, 'unique-id-format') : undefined;
  const facts: FrontendLogFacts = {
    name: fe.name, tls: fe.tls, early: settings.logasap, cookieBackends: fe.cookieBackends,
    requestCaptures: settings.requestCaptures.length, responseCaptures: settings.responseCaptures.length,
    hostname: shared.hostname, pid: shared.pid,
  };
  const tag = settings.tag ?? shared.tag;
  let logCount = 0;
  const sampleCounters = new Map<LogTarget, number>();

  /** Sampling (`sample ranges:size`): whether this target takes its next line. */
  const sampled = (t: LogTarget): boolean => {
    if (!t.sample) return true;
    const n = sampleCounters.get(t) ?? 0;
    sampleCounters.set(t, (n + 1) % t.sample.size);
    return t.sample.ranges.some(([lo, hi]) => n + 1 >= lo && n + 1 <= hi);
  };

  const send = (text: string, level: number, sdText: string, now: number): void => {
    const header: HeaderFacts = { hostname: shared.sendHostname, tag, pid: shared.pid, sd: sdText };
    for (const t of targets) {
      if (level > t.level || !sampled(t)) continue;
      const sentLevel = Math.max(level, t.minLevel);
      shared.sinks.send(t, syslogHeader(effectiveFormat(t.format, header), sentLevel, t.facility, header, now) + text);
    }
  };

  const message = (rec: StreamLogRecord, ctx: StreamContext, now: number = shared.now()): LogMessage | undefined => {
    if (!line || rec.level === 'silent') return undefined;
    if ((settings.dontlognull || (http && settings.ignoreProbes)) && rec.nothingReceived) return undefined;
    const status = rec.status ?? ctx.response?.status;
    const error = rec.isError(status);
    if (!error && settings.dontlogNormal) return undefined;
    const level = rec.level !== undefined ? levelNumber(rec.level) : error && settings.separateErrors ? LEVEL_ERR : LEVEL_INFO;
    const x: LineInput = { rec, ctx, now, fe: facts, counts: shared.counts(fe.name, ctx), logCount };
    // The unique id is generated at log time when no rule asked for it before.
    if (uniqueId && ctx.uniqueId === undefined) ctx.uniqueId = uniqueId(x);
    let text = line(x);
    if (text === '') return undefined;
    if (text.length > shared.maxMessage) text = text.slice(0, shared.maxMessage);
    const sdText = sd ? sd(x).slice(0, shared.maxMessage) : DEFAULT_SD;
    return { text, level, sd: sdText };
  };

  return {
    name: fe.name,
    enabled: true,
    early: settings.logasap,
    hasFormat: line !== undefined,
    record: newRecord,
    captureRequest: capture.request,
    captureResponse: capture.response,
    connected(ctx) {
      if (line) return;
      const c = ctx.conn;
      const text = `Connect from ${formatAddress(c.src)}:${c.srcPort} to ${formatAddress(c.dst)}:${c.dstPort} (${fe.name}/${http ? 'HTTP' : 'TCP'})`;
      send(text, LEVEL_INFO, DEFAULT_SD, shared.now());
    },
    emit(rec, ctx) {
      const now = shared.now();
      const m = message(rec, ctx, now);
      if (!m) return;
      logCount++;
      send(m.text, m.level, m.sd, now);
    },
    message,
  };
}
