// One client connection driven through the compiled phases, step by step, so that a caller with
// real sockets (the proxy) and a caller with a described request (`haplo sim`) run the very same
// code. A session is one connection: `accept` runs the tcp-request connection and session rules
// once; each request on it (keep-alive) is a stream: `begin` → `request` (may ask to wait for more
// data) → forward to the chosen server → `response` with the server's head → `end`.
import type { ServiceName } from '../actions/services.js';
import type { ActionRun, Outcome } from '../actions/types.js';
import { basicCredentials } from '../auth/userlists.js';
import { errorReply } from '../responses/errorfiles.js';
import type { Reply } from '../responses/reply.js';
import type { Selection, SelectionEvent, SelectionTrace } from '../selection/compile.js';
import { clearRequestVars, SessionScope, streamBase, streamContext, type StreamBase, type StreamContext, type TlsInfo } from '../stream/context.js';
import { firstValue, headerList } from '../stream/headers.js';
import { statsAuthorized, statsUnauthorizedReply, statsUriMatches } from '../services/stats-settings.js';
import { createRecorder, NO_TRACE, type TraceRecorder } from '../trace/events.js';
import type { CompiledProxy, Pipeline } from './compile.js';
import { writtenRequest } from './as-written.js';
import { cleanConnectionHeaders, connectionTokensOf } from './connection-header.js';
import { connectionModeNotes } from './connection-mode.js';
import { contentLengthContradicts, type BodyFraming } from './content-length-line.js';
import { mergeContentLength, normalizeH1Request } from './h1-normalize.js';
import { statementText, type RulePhase } from './rules.js';
import { procVarsOf, type SimRuntime } from './runtime-port.js';
import { streamObserverOf, type StreamObserver } from './stream-observer.js';
import '../runtime/link.js';

/** Where a client connection came from and arrived. */
export interface SessionStart {
  frontend: CompiledProxy;
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  tls?: TlsInfo;
  /** Record the trace (the simulator); false for the proxy. */
  trace?: boolean;
  /**
   * Full servers make the stream wait in the backend's queue (the proxy). Without it (the
   * simulator, which has no time) a backend whose usable servers are all full answers 503.
   */
  queueing?: boolean;
}

/** One request as the client sent it (HTTP), or the bytes received so far (TCP). */
export interface StreamRequest {
  method: string;
  uri: string;
  version: string;
  headers: readonly (readonly [string, string])[];
  /** Body bytes available to the rules (TCP: the request buffer for payload fetches). */
  body?: Uint8Array;
  /** False while more bytes may still arrive (payload/body fetches then answer MISS). */
  bodyComplete?: boolean;
  /** How the body is delimited on the wire, for the trace's request as forwarded (default: no body). */
  framing?: BodyFraming;
}

/** A server's response head (the body is streamed by the caller). */
export interface StreamResponse {
  status: number;
  reason: string;
  version?: string;
  headers: readonly (readonly [string, string])[];
  body?: Uint8Array;
  /** How the body is delimited on the wire (default: no body). */
  framing?: BodyFraming;
}

/** What to do with the request. */
export type RequestStep =
  /** A tcp-request content rule needs more data: call `request()` again when bytes arrive or the inspect-delay expires (`expire()`). */
  | { kind: 'wait' }
  /** Close the connection without a response (reject, silent-drop). */
  | { kind: 'close'; outcome: Outcome }
  /** HAProxy answers itself (deny, return, redirect, auth, tarpit, 503…); http-after-response already ran on it. */
  | { kind: 'reply'; outcome: Outcome; reply: Reply }
  /** Send `ctx.request` (rewritten) to `server` of `backend`. */
  | { kind: 'forward'; backend: CompiledProxy; server: string }
  /**
   * Every usable server of `backend` is at its maxconn: HAProxy queues the stream. Call
   * `select()` again when a slot frees, or `errorReply(503)` when `timeout queue` expires.
   */
  | { kind: 'queue'; backend: CompiledProxy }
  /**
   * One of HAProxy's applets answers (the stats page at `stats uri`, or `use-service`): render it
   * and hand the reply to `serviceReply()`. `proxy` is where it was decided (its stats settings).
   */
  | { kind: 'service'; outcome: 'service'; name: ServiceName; proxy: CompiledProxy };

/** What to do with the server's response. */
export type ResponseStep =
  /** Send `ctx.response` (edited by the rules) to the client. */
  | { kind: 'forward' }
  /** A rule answered instead (http-response deny → 502, return, redirect); after-response already ran. */
  | { kind: 'reply'; outcome: Outcome; reply: Reply }
  /** Close without answering (tcp-response reject/close). */
  | { kind: 'close'; outcome: Outcome };

type Final = { outcome: Outcome; reply?: Reply; service?: ServiceName; proxy?: CompiledProxy };
type Stage = 'new' | 'fe-content' | 'be-content' | 'forwarding' | 'responded' | 'ended';

const EMPTY = new Uint8Array(0);
const NO_BODY: BodyFraming = { kind: 'none' };

/** A client connection's passage through one pipeline. */
export class PipelineSession {
  readonly trace: TraceRecorder;
  /** The current stream's context, or none between two streams until one is asked for (rest()). */
  private current: StreamContext | undefined;
  private readonly http: boolean;
  private be: CompiledProxy | undefined;
  private selection: Selection | undefined;
  private stage: Stage = 'new';
  private run: SessionRun;
  private outcome: Outcome = 'forward';
  /** The connection's addresses and shared functions, which every stream's context starts from. */
  private readonly base: StreamBase;
  /** The frontend (the session keeps nothing else of its SessionStart). */
  private readonly fe: CompiledProxy;
  private readonly queueing: boolean;
  private readonly observer: StreamObserver | undefined;
  /** The server the observer was told about for this stream. */
  private served = false;
  private service: ServiceName | undefined;
  private framing: BodyFraming = NO_BODY;
  /** What the client's Connection lines said (ConnectionToken bits), before the rules saw them cleaned. */
  clientTokens = 0;

  constructor(readonly pipeline: Pipeline, readonly rt: SimRuntime, start: SessionStart) {
    this.fe = start.frontend;
    this.queueing = start.queueing ?? false;
    this.observer = streamObserverOf(rt);
    this.trace = start.trace === false ? NO_TRACE : createRecorder();
    this.http = start.frontend.mode === 'http';
    this.base = streamBase({
      mode: this.http ? 'http' : 'tcp',
      src: start.src,
      srcPort: start.srcPort,
      dst: start.dst,
      dstPort: start.dstPort,
      tls: start.tls,
      frontend: start.frontend.name,
      proc: procVarsOf(rt),
      sess: new SessionScope(),
      now: rt.now,
      random: rt.random,
      env: pipeline.envVars,
      serverCounts: serverCountsOf(rt),
    });
    this.current = this.newContext(undefined);
    this.run = this.newRun();
  }

  /** The current stream's context (a new one per request; `sess.*` variables carry over). */
  get ctx(): StreamContext {
    return (this.current ??= this.newContext(undefined));
  }

  get frontend(): CompiledProxy {
    return this.fe;
  }

  get backend(): CompiledProxy | undefined {
    return this.be;
  }

  get lastSelection(): Selection | undefined {
    return this.selection;
  }

  /** tcp-request connection, then session rules: once per connection, before any byte is read. */
  accept(): { kind: 'continue' } | { kind: 'close'; outcome: Outcome } {
    const fe = this.fe;
    const final = this.phases([fe.tcpConnection, fe.tcpSession]);
    this.observer?.connection(fe.name, !final);
    if (final) {
      this.outcome = final.outcome;
      return { kind: 'close', outcome: final.outcome };
    }
    return { kind: 'continue' };
  }

  /** Starts a stream for a new request on this connection. */
  begin(request: StreamRequest): void {
    // What HAProxy's HTTP/1 layer merges and normalizes before any rule runs (h1-normalize.ts).
    if (this.http) request = normalizeH1Request(request);
    if (this.stage !== 'new') this.newContext(request);
    else this.setRequest(request);
    // The HTTP/1 layer drops `close` and `keep-alive` from Connection lines before any rule runs.
    if (this.http) this.clientTokens = cleanConnectionHeaders(this.ctx.request!.headers);
    this.framing = request.framing ?? NO_BODY;
    this.run = this.newRun();
    this.be = undefined;
    this.selection = undefined;
    this.outcome = 'forward';
    this.served = false;
    this.service = undefined;
    this.stage = 'fe-content';
  }

  /** More request bytes arrived (TCP inspection, or a buffered HTTP body). */
  update(body: Uint8Array, complete: boolean): void {
    const r = this.ctx.request;
    if (!r) return;
    r.body = body;
    r.bodyComplete = complete;
  }

  /** The inspect-delay expired (or no more data can come): rules stop waiting and decide. */
  expire(): void {
    this.ctx.final = true;
  }

  /** Runs the request side from where it stopped: content rules, http-request, use_backend, backend rules, server choice. */
  request(): RequestStep {
    const fe = this.fe;
    const run = this.run;
    const trace = this.trace;
    if (this.stage === 'fe-content') {
      const v = fe.tcpContent.run(run, trace);
      if (v.kind === 'wait') return { kind: 'wait' };
      let final: Final | undefined = v.kind === 'final' ? v : undefined;
      if (!final && this.http) {
        this.rt.countRequest(this.ctx);
        this.observer?.request(fe.name);
        final = this.phase(fe.httpRequest) ?? this.statsPage(fe) ?? this.phase(fe.redirect);
      }
      if (!final) {
        const choice = fe.switching!.choose(run, trace, backendExists(this.pipeline));
        if (trace.enabled) trace.push({ type: 'backend', frontend: fe.name, backend: choice.backend ?? null, how: choice.how, line: choice.line });
        if (choice.backend === undefined) final = { outcome: 'error', reply: run.errorReply(503) };
        else {
          this.be = this.pipeline.backends.get(choice.backend)!;
          this.ctx.backend = this.be.name;
          this.observer?.backend(this.be.name);
        }
      }
      if (final) return this.requestFinal(final);
      this.stage = 'be-content';
    }
    if (this.stage === 'be-content') {
      const be = this.be!;
      // A listen section does not run its rules twice.
      if (be !== fe) {
        const v = be.tcpContent.run(run, trace);
        if (v.kind === 'wait') return { kind: 'wait' };
        let final: Final | undefined = v.kind === 'final' ? v : undefined;
        if (!final && this.http) final = this.phase(be.httpRequest) ?? this.statsPage(be) ?? this.phase(be.redirect);
        if (final) return this.requestFinal(final);
      }
      this.stage = 'forwarding';
      if (this.http && contentLengthContradicts(this.ctx.request!.headers, this.framing)) {
        if (trace.enabled) trace.push({ type: 'note', text: "the rules left a Content-Length the request's body contradicts: HAProxy 2.6 answers 500 and sends nothing to a server" });
        return this.requestFinal({ outcome: 'error', reply: this.run.errorReply(500) });
      }
      return this.selectServer();
    }
    throw new Error(`request() called in stage ${this.stage}`);
  }

  /**
   * The chosen server could not be used (connection refused or timed out) and `option redispatch`
   * allows another: drops persistence and balances again. Undefined when no server is left.
   */
  redispatch(): string | undefined {
    const be = this.be;
    if (!be || !this.selection) return undefined;
    const st = this.rt.stream(this.ctx);
    st.persist = 'ignore';
    this.rt.endConnection(this.ctx);
    const sel = be.selection!(this.ctx, this.rt, this.selectionTrace());
    if (!sel.server) return undefined;
    this.selection = sel;
    this.ctx.server = sel.server;
    this.rt.beginConnection(this.ctx, be.name, sel.server);
    this.observer?.redispatch(be.name, sel.server);
    return sel.server;
  }

  /** Runs the response side on the server's head: tcp-response, stick store, http-response, cookies, after-response. */
  response(r: StreamResponse): ResponseStep {
    const be = this.be!;
    const fe = this.fe;
    const ctx = this.ctx;
    const trace = this.trace;
    // Connecting to the server prunes the request-scope variables; `res` starts empty (stream.c).
    clearRequestVars(ctx.vars);
    if (this.http) r = mergeContentLength(r);
    ctx.response = { status: r.status, reason: r.reason, version: r.version ?? '1.1', headers: headerList(r.headers), body: r.body ?? EMPTY };
    if (trace.enabled) trace.push({ type: 'response', source: 'server', response: snapshotResponse(ctx) });
    if (this.http) cleanConnectionHeaders(ctx.response.headers);
    let final = this.phase(be.tcpResponse);
    if (!final) {
      if (trace.enabled) trace.push({ type: 'phase', phase: 'stick store-response', proxy: be.name });
      be.selection!.storeStickResponse(ctx, this.rt, this.selection?.server, this.selectionTrace());
      if (this.http) final = be === fe ? this.phase(be.httpResponse) : (this.phase(be.httpResponse) ?? this.phase(fe.httpResponse));
    }
    // Cookie persistence edits the response after both proxies' http-response rules, unless one
    // of them answered instead (http_process_res_common).
    if (!final && this.selection && ctx.response && ctx.response.status >= 200) {
      const cookie = be.selection!.applyCookieResponse(ctx, this.rt, this.selection);
      if (trace.enabled && cookie && (cookie.inserted || cookie.deleted || cookie.rewritten || cookie.cacheControlAdded)) {
        const parts = [cookie.inserted && `inserted set-cookie: ${cookie.inserted}`, cookie.deleted && `removed ${cookie.deleted} set-cookie`, cookie.rewritten && `rewrote ${cookie.rewritten} set-cookie`, cookie.cacheControlAdded && 'added cache-control: private'];
        trace.push({ type: 'note', text: `cookie persistence: ${parts.filter(Boolean).join(', ')}` });
      }
    }
    this.stage = 'responded';
    if (!final && this.http && r.framing && contentLengthContradicts(ctx.response!.headers, r.framing)) {
      if (trace.enabled) trace.push({ type: 'note', text: "the rules left a Content-Length the response's body contradicts: HAProxy 2.6 drops the response and closes the client connection" });
      final = { outcome: 'error' };
    }
    if (final) {
      this.outcome = final.outcome;
      if (final.outcome === 'reject' || !final.reply) {
        ctx.response = undefined;
        return { kind: 'close', outcome: final.outcome };
      }
      return { kind: 'reply', outcome: final.outcome, reply: this.answer(final.reply) };
    }
    this.afterResponse();
    return { kind: 'forward' };
  }

  /**
   * HAProxy's own error for a failure the caller detected (400 bad request, 408 timeout, 502 bad
   * server response, 503 no server, 504 server timeout): the proxies' errorfiles, then http-after-response.
   */
  errorReply(code: number): Reply {
    this.outcome = 'error';
    this.stage = 'responded';
    return this.answer(this.run.errorReply(code));
  }

  /**
   * The stream is over: counts its status and bytes on the tracked counters, releases its server
   * slot and the counters its content rules tracked. With `keepSession` (keep-alive: another
   * request may follow) the counters tracked by tcp-request connection/session rules stay for the
   * next stream, as HAProxy keeps them on the session.
   */
  end(o: { bytesIn?: number; bytesOut?: number; keepSession?: boolean } = {}): { outcome: Outcome; status: number | null } {
    const ctx = this.ctx;
    const status = ctx.response ? ctx.response.status : null;
    if (o.bytesIn || o.bytesOut) this.rt.countBytes(ctx, o.bytesIn ?? 0, o.bytesOut ?? 0);
    if (status !== null && status >= 400 && status < 500) this.rt.countError(ctx);
    else if (status !== null && status >= 500 && status !== 501 && status !== 505 && this.outcome === 'forward') this.rt.countFailure(ctx);
    this.rt.endStream(ctx, { keepSession: o.keepSession ?? false });
    if (this.observer && this.stage !== 'ended') {
      this.observer.ended({
        frontend: this.fe.name, backend: this.be?.name, server: this.served ? ctx.server : undefined,
        outcome: this.outcome, status, bytesIn: o.bytesIn ?? 0, bytesOut: o.bytesOut ?? 0, intercepted: !this.be && (this.outcome === 'service' || this.outcome === 'redirect'),
      });
    }
    this.stage = 'ended';
    if (this.trace.enabled) this.trace.push({ type: 'end', outcome: this.outcome, status });
    return { outcome: this.outcome, status };
  }

  /**
   * The connection waits for its next request (the proxy, between keep-alive streams): the ended
   * stream's context — request, response, variables — is let go now rather than held by an idle
   * connection. The next stream's context is made when first needed, taking over what the
   * session carries (`sess` variables) as `begin` would; only when the ended stream hands over
   * session-tracked counters is it made at once, so that nothing else holds the old one.
   */
  rest(): void {
    if (this.stage !== 'ended') return;
    // The counters inheritSession would move (the Runtime keeps a stream's state on its context).
    const handsOver = (this.current?.runtimeState?.counters.length ?? 0) > 0;
    this.current = handsOver ? this.newContext(undefined) : undefined;
    this.selection = undefined;
    this.stage = 'new';
  }

  /** The outcome so far ('forward' until something ends the stream otherwise). */
  get currentOutcome(): Outcome {
    return this.outcome;
  }

  /**
   * After a proxy's http-request rules and before its redirects, HAProxy checks the stats URI
   * (http_process_req_common): a match answers with the stats page, or a 401 when `stats auth`
   * is set and the request's Basic credentials are not among its pairs.
   */
  private statsPage(p: CompiledProxy): Final | undefined {
    const stats = p.stats;
    const req = this.ctx.request;
    if (!stats || !req || !statsUriMatches(stats, req.uri)) return undefined;
    if (this.trace.enabled) this.trace.push({ type: 'note', text: `stats uri ${stats.uri} (line ${stats.line}) matches: the stats page answers` });
    if (!statsAuthorized(stats, basicCredentials(firstValue(req.headers, 'authorization')))) {
      if (this.trace.enabled) this.trace.push({ type: 'note', text: 'stats auth: no valid credentials, 401' });
      return { outcome: 'deny', reply: statsUnauthorizedReply(stats) };
    }
    return { outcome: 'service', service: 'stats', proxy: p };
  }

  /**
   * The reply the caller rendered for a `service` step: it becomes the response. An applet's
   * answer goes through http-after-response; a `use-service` one also through the http-response
   * rules (observed on 2.6: the stats page skips http-response, the prometheus exporter does not).
   */
  serviceReply(reply: Reply): Reply {
    const ctx = this.ctx;
    this.stage = 'responded';
    ctx.response = { status: reply.status, reason: reply.reason, version: '1.1', headers: headerList(reply.headers), body: bodyBytes(reply.body) };
    if (this.trace.enabled) this.trace.push({ type: 'response', source: 'haproxy', response: snapshotResponse(ctx) });
    if (this.service !== 'stats' && this.http) {
      const fe = this.fe;
      const be = this.be;
      const list = be && be !== fe ? [be.httpResponse, fe.httpResponse] : [fe.httpResponse];
      const final = this.phases(list);
      if (final?.reply) return this.answer(final.reply);
    }
    this.afterResponse();
    const res = ctx.response;
    return { status: res.status, reason: res.reason, headers: res.headers.entries.map((e) => [e.name, e.value]), body: reply.body };
  }

  private requestFinal(final: Final): RequestStep {
    this.stage = 'responded';
    this.outcome = final.outcome;
    if (final.service) {
      this.service = final.service;
      if (this.trace.enabled) this.trace.push({ type: 'note', text: `answered by HAProxy's ${final.service === 'stats' ? 'stats page' : `${final.service} service`}` });
      return { kind: 'service', outcome: 'service', name: final.service, proxy: final.proxy ?? this.be ?? this.fe };
    }
    if (final.outcome === 'reject' || !final.reply) {
      this.ctx.response = undefined;
      return { kind: 'close', outcome: final.outcome };
    }
    return { kind: 'reply', outcome: final.outcome, reply: this.answer(final.reply) };
  }

  /** Chooses the server again after a `queue` step (a slot may have freed). */
  select(): RequestStep {
    return this.selectServer();
  }

  private selectServer(): RequestStep {
    const be = this.be!;
    const ctx = this.ctx;
    const trace = this.trace;
    ctx.phase = 'be-server-selection';
    const selTrace = this.selectionTrace();
    if (trace.enabled) trace.push({ type: 'phase', phase: 'server selection', proxy: be.name });
    const selection = be.selection!(ctx, this.rt, selTrace);
    this.selection = selection;
    if (trace.enabled) trace.push({ type: 'server', backend: be.name, server: selection.server ?? null, reason: selection.reason, detail: selection.detail });
    if (!selection.server) {
      const usable = this.rt.usableServers(be.name) ?? 0;
      if (usable > 0 && this.queueing) return { kind: 'queue', backend: be };
      return this.requestFinal({ outcome: 'error', reply: this.run.errorReply(503) });
    }
    ctx.server = selection.server;
    this.rt.beginConnection(ctx, be.name, selection.server);
    if (this.observer) {
      this.served = true;
      this.observer.server(be.name, selection.server);
    }
    be.selection!.storeStickRequest(ctx, this.rt, selection.server, selTrace);
    if (trace.enabled) trace.push({ type: 'phase', phase: 'forward', proxy: be.name });
    const changes = this.http ? this.pipeline.forwardHeaders(this.fe, be).apply(ctx) : [];
    if (trace.enabled) {
      const request = this.http ? writtenRequest(ctx, this.fe, be, this.framing) : snapshotRequest(ctx);
      trace.push({ type: 'forward', request, changes });
      if (this.http) for (const text of connectionModeNotes(this.fe.model, be.model, ctx.request?.version, connectionTokensOf(ctx.request!.headers))) trace.push({ type: 'note', text });
    }
    return { kind: 'forward', backend: be, server: selection.server };
  }

  /** Sets HAProxy's own reply as the response and runs http-after-response on it. */
  private answer(reply: Reply): Reply {
    const ctx = this.ctx;
    ctx.response = { status: reply.status, reason: reply.reason, version: '1.1', headers: headerList(reply.headers), body: bodyBytes(reply.body) };
    if (this.trace.enabled) this.trace.push({ type: 'response', source: 'haproxy', response: snapshotResponse(ctx) });
    this.afterResponse();
    const res = ctx.response;
    return { status: res.status, reason: res.reason, headers: res.headers.entries.map((e) => [e.name, e.value]), body: reply.body };
  }

  private afterResponse(): void {
    if (!this.http) return;
    const fe = this.fe;
    const be = this.be;
    // The backend's rules, then the frontend's, until one does not continue (no list per stream).
    if (be && be !== fe && be.afterResponse.run(this.run, this.trace).kind !== 'continue') return;
    fe.afterResponse.run(this.run, this.trace);
  }

  private phases(list: readonly RulePhase[]): Final | undefined {
    for (const ph of list) {
      const final = this.phase(ph);
      if (final) return final;
    }
    return undefined;
  }

  private phase(ph: RulePhase): Final | undefined {
    const v = ph.run(this.run, this.trace);
    if (v.kind === 'final') return { outcome: v.outcome, reply: v.reply, service: v.service };
    // Connection and session rules cannot wait; a content rule reaching here had its data.
    if (v.kind === 'wait') return { outcome: 'error', reply: this.run.errorReply(408) };
    return undefined;
  }

  private selectionTrace(): SelectionTrace | undefined {
    const trace = this.trace;
    const be = this.be;
    if (!trace.enabled || !be) return undefined;
    return (e: SelectionEvent): void => {
      if (e.line === undefined || e.step === 'balance' || e.step === 'stick-store' || e.step === 'cookie') {
        trace.push({ type: 'note', text: `${e.step}: ${e.text} → ${e.result}` });
        return;
      }
      const st = be.model.statements.find((x) => x.line.line + 1 === e.line);
      trace.push({
        type: 'rule', phase: 'server selection', proxy: be.name, file: be.model.section.file, line: e.line, text: st ? statementText(st) : e.text,
        condition: e.condition ?? null, acls: e.acls ?? [], action: e.step, final: false, change: e.result,
      });
    };
  }

  /**
   * The action view of the current stream. One object per connection, pointed at each new
   * stream's context: nothing keeps a run past its stream, and `notes` are only written.
   */
  private newRun(): SessionRun {
    const run = this.run as SessionRun | undefined;
    if (run) {
      run.forgetNotes();
      return run;
    }
    return new SessionRun(this.rt, this);
  }

  private setRequest(r: StreamRequest): void {
    const request = { method: r.method, uri: r.uri, version: r.version, headers: headerList(r.headers), body: r.body ?? EMPTY, bodyComplete: r.bodyComplete ?? true };
    this.ctx.request = request;
    this.ctx.received = { method: r.method, uri: r.uri, version: r.version };
    this.ctx.final = r.bodyComplete ?? true;
  }

  private newContext(request: StreamRequest | undefined): StreamContext {
    const rt = this.rt;
    const ctx = streamContext(this.base);
    ctx.runtime = rt;
    if (this.stage !== 'new' && this.current) rt.inheritSession(this.current, ctx);
    if (request) {
      this.current = ctx;
      this.setRequest(request);
    }
    return ctx;
  }
}

/**
 * The action view of a session's stream, always its current context; errors use the session's
 * backend at the time of the call. Notes (traced-only actions) get a map when first written.
 */
class SessionRun implements ActionRun {
  private written: Map<string, string> | undefined;

  constructor(readonly rt: SimRuntime, private readonly session: PipelineSession) {}

  get ctx(): StreamContext {
    return this.session.ctx;
  }

  get notes(): Map<string, string> {
    return (this.written ??= new Map());
  }

  set notes(notes: Map<string, string>) {
    this.written = notes;
  }

  forgetNotes(): void {
    this.written = undefined;
  }

  errorReply(code: number): Reply {
    return errorReply(code, [this.session.backend?.errors, this.session.frontend.errors]);
  }
}

/** One "is there such a backend" function per pipeline, not one per request. */
const backendChecks = new WeakMap<Pipeline, (name: string) => boolean>();

function backendExists(pipeline: Pipeline): (name: string) => boolean {
  let f = backendChecks.get(pipeline);
  if (!f) backendChecks.set(pipeline, (f = (name) => pipeline.backends.has(name)));
  return f;
}

/** One `serverCounts` function per Runtime, not one per connection. */
const serverCounts = new WeakMap<SimRuntime, (backend: string) => number | undefined>();

function serverCountsOf(rt: SimRuntime): (backend: string) => number | undefined {
  let f = serverCounts.get(rt);
  if (!f) serverCounts.set(rt, (f = (name) => rt.usableServers(name)));
  return f;
}

const encoder = new TextEncoder();
// HAProxy's own bodies (error pages, fixed `return` strings) repeat on every request: encode each
// once. Bodies are never edited in place, so sharing the bytes is safe; the cache is bounded.
const encoded = new Map<string, Uint8Array>();
const decoded = new WeakMap<Uint8Array, string>();
decoded.set(EMPTY, '');

function bodyBytes(text: string): Uint8Array {
  if (text === '') return EMPTY;
  let b = encoded.get(text);
  if (!b) {
    b = encoder.encode(text);
    if (encoded.size < 256) encoded.set(text, b);
    decoded.set(b, text);
  }
  return b;
}

const decoder = new TextDecoder();

/** The body as text (for traces and `haplo sim` output). */
export function bodyText(b: Uint8Array): string {
  return decoded.get(b) ?? decoder.decode(b);
}

export function snapshotRequest(ctx: StreamContext): { method: string; uri: string; headers: [string, string][] } {
  const r = ctx.request!;
  return { method: r.method, uri: r.uri, headers: r.headers.entries.map((e) => [e.name.toLowerCase(), e.value]) };
}

export function snapshotResponse(ctx: StreamContext): { status: number; reason: string; headers: [string, string][]; body: string } {
  const r = ctx.response!;
  return { status: r.status, reason: r.reason, headers: r.headers.entries.map((e) => [e.name.toLowerCase(), e.value]), body: bodyText(r.body) };
}
