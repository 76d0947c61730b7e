// The facts a session records about one stream for its log line: dates, timers, byte counts,
// termination state, retries, queue positions, cookie persistence and captures. Renderers read
// it; nothing here formats anything.
//
// HOW A SESSION FILLS IT (the timers of HAProxy manual §8.4 follow from these calls):
//
//   HTTP, one record per request (stream):
//     const rec = logger.record({ http: true })    at accept (first request) — or, for the next
//                                                  request of a keep-alive connection,
//                                                  `rec = previous.next()` when the previous
//                                                  response has been sent (Th is then 0).
//     rec.mark('handshake')                        TLS or PROXY header done (skip when none).
//     rec.mark('request-start')                    first byte of the request received (Ti).
//     rec.mark('request-head')                     complete request head parsed (TR), then
//     logger.captureRequest(ctx, rec, headers)     with the headers AS RECEIVED, before begin()/request().
//     rec.mark('queued')                           a `queue` step: waiting for a server slot.
//     rec.mark('queue')                            server chosen and slot held: about to connect (Tw).
//     rec.retries++ / rec.redispatched = true      per connect retry / on redispatch.
//     rec.mark('connected', …)                     server connection established (Tc); pass
//     rec.serverConnection = {src,srcPort,dst,dstPort}  the upstream socket's addresses (%bi %bp %si %sp).
//     logger.captureResponse(ctx, rec, headers)    server response head AS RECEIVED, before response().
//     rec.mark('response-head')                    (Tr).
//     rec.bytesIn += n / rec.bytesOut += n         request bytes sent to the server (%U), bytes
//                                                  sent to the client, head included (%B).
//     rec.terminate(cause, phase?)                 on anything but a normal end (first call wins);
//                                                  without a phase it is derived from the marks.
//     rec.mark('end')                              both sides closed / response fully sent (Tt, Ta).
//     logger.emit(rec, ctx)                        after pipelineSession.end() (server slot released),
//                                                  or earlier when `logger.early` (option logasap):
//                                                  right after the response head is forwarded.
//   A request that fails before its head is complete (400 bad request, 408, client abort) has
//   no stream in HAProxy: leave `request-head` unmarked; the log shows <BADREQ>, 0 bytes.
//
//   TCP: the same record with { http: false }: accept → 'queue' → 'connected' → 'end', bytes both
//   ways, terminate() on errors; emit at the end (or right after 'connected' when `early`).
//   With no log format (no option tcplog/httplog, no log-format), call `logger.connected(ctx)`
//   once at accept instead: HAProxy's "Connect from" line.
import {
  CAUSE_LETTER, PHASE_LETTER, type RequestCookieState, type ResponseCookieState, type TerminationCause, type TerminationPhase,
} from './termination.js';
import type { LogLevelName } from './syslog-names.js';

export type LogMark =
  | 'accept' | 'handshake' | 'request-start' | 'request-head' | 'queued' | 'queue' | 'connected' | 'response-head' | 'end';

/** Addresses of the server-side connection. */
export interface ServerConnectionInfo {
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
}

export interface RecordOptions {
  /** HTTP stream (the H phase exists, %tsc has cookie letters). Default true. */
  http?: boolean;
  /** Milliseconds clock; Date.now by default. */
  now?: () => number;
  /** Accept date in ms since the epoch; now by default. */
  acceptDate?: number;
}

// HAProxy's global request counter (%rt): every stream takes the next value, from 0.
let requestCounter = 0;

export class StreamLogRecord {
  readonly http: boolean;
  /** %rt: the stream's unique number in the process. */
  readonly requestId: number;
  /** Accept date (ms since the epoch): connection accept, or the end of the previous response on keep-alive. */
  acceptDate: number;
  /** Milliseconds from accept: -1 until the event happened (HAProxy's logs.t_*). */
  handshake = 0;
  idle = -1;
  request = -1;
  queue = -1;
  connect = -1;
  data = -1;
  close = -1;
  /** Entered a server or backend queue. */
  queued = false;
  /** Request bytes from the client (%U) and response bytes to the client (%B). */
  bytesIn = 0;
  bytesOut = 0;
  cause: TerminationCause = 'normal';
  phase: TerminationPhase = 'none';
  private terminated = false;
  retries = 0;
  redispatched = false;
  /** Requests ahead of this one when it entered the server / backend queue (%sq, %bq). */
  srvQueue = 0;
  backendQueue = 0;
  /** The status to log when it is not ctx.response's (a mux-level error, for instance). */
  status?: number;
  requestCookie?: RequestCookieState;
  responseCookie?: ResponseCookieState;
  /** `capture cookie` results, `name=value` (%CC, %CS). */
  capturedRequestCookie?: string;
  capturedResponseCookie?: string;
  serverConnection?: ServerConnectionInfo;
  /** Negotiated TLS cipher of the client connection (%sslc). */
  tlsCipher?: string;
  /** `http-request set-log-level`: overrides info/err; 'silent' drops the line. */
  level?: LogLevelName | 'silent';
  readonly now: () => number;

  constructor(o: RecordOptions = {}) {
    this.http = o.http ?? true;
    this.now = o.now ?? Date.now;
    this.acceptDate = o.acceptDate ?? this.now();
    this.requestId = requestCounter++;
  }

  /** Records that `event` happened now (or at `at`, ms since the epoch). */
  mark(event: LogMark, at: number = this.now()): this {
    const t = Math.max(0, Math.floor(at - this.acceptDate));
    switch (event) {
      case 'accept':
        this.acceptDate = at;
        break;
      case 'handshake':
        this.handshake = t;
        break;
      case 'request-start':
        if (this.idle < 0) this.idle = Math.max(0, t - this.handshake);
        break;
      case 'request-head':
        if (this.idle < 0) this.idle = Math.max(0, t - this.handshake);
        this.request = t;
        break;
      case 'queued':
        this.queued = true;
        break;
      case 'queue':
        this.queue = t;
        break;
      case 'connected':
        if (this.queue < 0) this.queue = t;
        this.connect = t;
        break;
      case 'response-head':
        this.data = t;
        break;
      case 'end':
        this.close = t;
        break;
    }
    return this;
  }

  /**
   * The stream ends for `cause` (the first call wins, as in HAProxy). Without `phase`, the
   * phase is where the marks say the stream stands: request, queue, connect, headers or data.
   */
  terminate(cause: TerminationCause, phase?: TerminationPhase): this {
    if (this.terminated) return this;
    this.terminated = true;
    this.cause = cause;
    this.phase = phase ?? this.currentPhase();
    return this;
  }

  /** Where the stream stands now, from its marks. */
  currentPhase(): TerminationPhase {
    if (this.connect >= 0) return this.http && this.data < 0 ? 'headers' : 'data';
    if (this.queue >= 0) return 'connect';
    if (this.queued) return 'queue';
    return 'request';
  }

  /** %ts: two letters. */
  get terminationState(): string {
    return CAUSE_LETTER[this.cause] + PHASE_LETTER[this.phase];
  }

  /** Whether HAProxy counts the stream as an error (dontlog-normal, log-separate-errors). */
  isError(status: number | undefined): boolean {
    return this.redispatched || (this.cause !== 'normal' && this.cause !== 'local') || this.retries > 0
      || (this.http && status !== undefined && status >= 500);
  }

  /** Nothing at all came from the client (option dontlognull). */
  get nothingReceived(): boolean {
    return this.idle < 0 && this.bytesIn === 0;
  }

  /** Tt at `now` when the stream has not ended yet. */
  closeAt(now: number): number {
    return this.close >= 0 ? this.close : Math.max(0, Math.floor(now - this.acceptDate));
  }

  /** The record of the next request on the same keep-alive connection, starting now. */
  next(at: number = this.now()): StreamLogRecord {
    return new StreamLogRecord({ http: this.http, now: this.now, acceptDate: at });
  }
}
