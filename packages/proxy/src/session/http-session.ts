// One client connection in `mode http`. It moves bytes and keeps time; every decision (rules,
// backend, server, HAProxy's own answers) comes from the simulator's PipelineSession, driven
// step by step: accept → per request begin → request → forward|reply|queue|close → response →
// end. Requests on a connection are served one at a time, in order (pipelined ones wait in the
// request buffer); bodies stream through with bounded buffers and backpressure on both sockets.
//
// The parts live beside this file: request-buffer.ts (bytes not used yet), server-connection.ts
// (which server connection a request takes: http-reuse safe), head-text.ts (the heads written),
// body-relay.ts (bodies), http-replies.ts (HAProxy's own answers), tunnel.ts (after a 101),
// http-stream-log.ts (the log record, only when the frontend logs), socket-events.ts (handlers).
//
// Memory: a server connection is held only while an exchange is in flight, then goes back to
// the server's shared pool; between requests an idle client holds its socket, this object and
// the pipeline session — no Buffer, no server socket, one Node timer.
//
// Timers follow HAProxy 2.6 as observed: `timeout http-request` from the accept (or from the
// first byte of a keep-alive request) → 408 and close; `timeout http-keep-alive` between
// requests → silent close; `timeout client` while the client is expected to send (a body) or
// to read (a blocked write); `timeout server` while waiting for the server → 504 before the
// response head, an aborted connection after; `timeout tunnel` after a 101.
import type { Socket } from 'node:net';
import { ERROR_CODES, PipelineSession, type CompiledProxy, type Reply, type RequestStep } from '@haplo/sim';
import { parseResponseHead } from '../http/response-head.js';
import type { HeadLimits, RequestHead, ResponseHead } from '../http/types.js';
import { CHUNKED_END_BYTES, StreamLogRecord, type FrontendLogger } from '../log/index.js';
import type { ClientOrigin, ClientSession, SessionFactory } from '../process/client-session.js';
import type { Cancel, ProxyContext, ProxySettings, UpstreamConnection, UpstreamFailure } from '../process/types.js';
import { serveService } from '../stats/serve.js';
import { BodyRelay } from './body-relay.js';
import { Deadline, type DeadlineOwner } from './deadline.js';
import { ClientConnection, interimHeadText, requestHeadText, responseHeadText } from './head-text.js';
import { headerValue, saysClose, writeReply } from './http-replies.js';
import { HttpStreamLog } from './http-stream-log.js';
import { RequestBuffer } from './request-buffer.js';
import { connectServer, idleConnection } from './server-connection.js';
import { bindClient, bindServer, unbindClient, unbindServer, type SocketOwner } from './socket-events.js';
import { tunnelTimeouts } from './tcp-timeouts.js';
import { startTunnel, type Tunnel, type TunnelEnd } from './tunnel.js';
import { validWebsocketKey, websocketAccept } from './websocket-accept.js';

const enum Phase {
  /** Waiting for (the rest of) a request head. */
  Head,
  /** `option http-buffer-request`: waiting for the body before the rules run. */
  Buffering,
  /** A tcp-request content rule waits for data (inspect-delay). */
  Rules,
  /** Waiting for a queue slot or a server connection. */
  Connecting,
  /** Request sent (its body may still stream); the response is awaited or streaming. */
  Exchange,
  /** After a 101: bytes flow both ways untouched. */
  Tunnel,
  /** Closing or closed: input is ignored. */
  Closed,
}

/** What the client timer is counting, so the right thing happens when it fires. */
const enum ClientWait { None, FirstRequest, KeepAlive, Request, Inspect, Body, Write }

const EMPTY_BODY = new Uint8Array(0);
/** Bodies up to this size are copied next to their head to leave in one write. */
const SMALL_BODY = 8192;
const EMPTY_BUFFER = Buffer.alloc(0);
/** Where captures of a frontend that does not log put their cookie (they only feed capture.* fetches). */
const UNLOGGED = new StreamLogRecord();

export const startHttpSession: SessionFactory = (ctx, frontend, socket, origin, closed) =>
  new HttpSession(ctx, frontend, socket, origin, closed);

export class HttpSession implements ClientSession, SocketOwner, DeadlineOwner {
  private readonly ps: PipelineSession;
  private readonly fes: ProxySettings;
  private readonly limits: HeadLimits;
  private readonly bufsize: number;
  /** The frontend's logger (captures feed fetches even without log targets). */
  private readonly logger: FrontendLogger | undefined;
  /** The current stream's log record: only when the frontend logs streams. */
  private readonly log: HttpStreamLog | undefined;
  private phase = Phase.Head;
  /** Client bytes read but not yet used (a partial head, pipelined requests, an early body). */
  private readonly input = new RequestBuffer();
  private head: RequestHead | undefined;
  private be: CompiledProxy | undefined;
  private bes: ProxySettings | undefined;
  private conn: UpstreamConnection | undefined;
  private server: Socket | undefined;
  private cancel: Cancel | undefined;
  // Made on the first request that has a body / the first response (an idle client has neither).
  private reqBody: BodyRelay | undefined;
  private resBody: BodyRelay | undefined;
  private resHead: ResponseHead | undefined;
  /** Server bytes read before the response head was complete. */
  private serverPending: Buffer | undefined;
  /** begin() ran and end() has not. */
  private inStream = false;
  /** The stream was given a server slot (beginConnection): free it at the end. */
  private holdsSlot = false;
  /** A request of this connection was served before (http-reuse safe: later ones may share). */
  private notFirst = false;
  private reqDone = true;
  private resDone = true;
  /** Close the client connection once this exchange is over. */
  private closeAfter = false;
  private clientEnded = false;
  private serverEnded = false;
  /** The server sent bytes after its response or the exchange broke: do not pool the connection. */
  private serverDirty = false;
  /** A pooled connection already failed once for this request. */
  private retriedStale = false;
  private clientPaused = false;
  private serverPaused = false;
  private connectSettled = false;
  /** The exchange's connection came from the pool: the server may have closed it meanwhile. */
  private connReused = false;
  private bytesIn = 0;
  private bytesOut = 0;
  private clientWait = ClientWait.None;
  private reading = false;
  private readAgain = false;
  private finished = false;
  private readonly clientTimer: Deadline;
  private serverTimer: Deadline | undefined;
  /** After a 101: the tunnel that owns both sockets. */
  private tunnel: Tunnel | undefined;
  /** Set by retire(): where the connection goes once idle (`null`: closed, a soft stop). */
  private retiring: ((socket: Socket) => void) | null | undefined;
  // Callbacks handed to the upstream layer, made on first use.
  private onConnected: ((err: UpstreamFailure | undefined, conn?: UpstreamConnection) => void) | undefined;
  private onSlot: ((slot: boolean) => void) | undefined;
  private redispatch: (() => string | undefined) | undefined;

  constructor(
    private readonly ctx: ProxyContext,
    frontend: CompiledProxy,
    private readonly client: Socket,
    origin: ClientOrigin,
    private readonly closed: () => void,
  ) {
    this.fes = ctx.settings(frontend);
    const g = ctx.global;
    this.bufsize = g.bufsize;
    this.limits = { maxHeadBytes: g.bufsize - g.maxrewrite, maxHeaders: g.maxHeaders };
    this.clientTimer = new Deadline(this);
    this.ps = new PipelineSession(ctx.pipeline, ctx.runtime, { frontend, ...origin, trace: false, queueing: true });
    const logger = ctx.logging?.frontend(frontend.name);
    this.logger = logger;
    if (logger?.enabled && logger.hasFormat) this.log = new HttpStreamLog(logger);
    bindClient(client, this);
    const accepted = this.ps.accept();
    if (accepted.kind === 'close') {
      this.phase = Phase.Closed;
      client.destroy();
      return;
    }
    if (logger?.enabled && !logger.hasFormat) logger.connected(this.ps.ctx);
    this.waitClient(ClientWait.FirstRequest, this.fes.timeouts.httpRequest);
    client.resume();
  }

  /** The process stops: drop the connection now. */
  abort(): void {
    if (this.tunnel) this.tunnel.abort();
    else this.client.destroy();
  }

  /**
   * `hard-stop-after` ran out (issue 6): as HAProxy 2.6 does, a request still waiting for its
   * response head is answered 502 and the connection closed; anything else is dropped.
   */
  hardStop(): void {
    if (this.phase !== Phase.Exchange || this.resHead || this.client.destroyed) return this.abort();
    this.closeAfter = true;
    this.retiring = null;
    this.badResponse();
  }

  /**
   * Soft stop or reload (issue 6): this configuration serves no further request here. Idle
   * between requests, the connection is closed (soft stop) or handed to `handOver` (reload: the
   * new configuration serves its next request) at once; busy, once the current exchange is over,
   * and with a soft stop its response says `connection: close`. A tunnel runs on until it ends.
   */
  retire(handOver?: (socket: Socket) => void): void {
    if (this.retiring !== undefined || this.finished) return;
    this.retiring = handOver ?? null;
    if (this.phase === Phase.Head && !this.inStream && this.input.length === 0 && !this.reading) this.leave();
  }

  /** Idle and retiring: close, or let go of the socket (handlers, timers) for the next session. */
  private leave(): void {
    const handOver = this.retiring;
    if (!handOver) {
      this.phase = Phase.Closed;
      this.client.destroySoon();
      return;
    }
    this.finished = true;
    this.phase = Phase.Closed;
    unbindClient(this.client);
    this.clientTimer.dispose();
    this.serverTimer?.dispose();
    this.client.pause();
    // A pipelined request already read goes back to the socket for the next session.
    const rest = this.input.take();
    if (rest) this.client.unshift(rest);
    handOver(this.client);
  }

  // ---- client side: reading requests -------------------------------------------------------

  clientData(chunk: Buffer): void {
    switch (this.phase) {
      case Phase.Head:
        if (this.log && this.input.length === 0) this.log.requestStart();
        this.input.append(chunk);
        if (this.clientWait === ClientWait.KeepAlive) this.waitClient(ClientWait.Request, this.fes.timeouts.httpRequest);
        this.readHeads();
        return;
      case Phase.Exchange:
        if (!this.reqDone && this.server) this.forwardRequestBody(chunk);
        else this.stash(chunk);
        return;
      case Phase.Buffering:
        this.input.append(chunk);
        this.bufferBody();
        return;
      case Phase.Closed:
        return;
      default:
        this.stash(chunk);
    }
  }

  /** Keeps bytes for later (the next pipelined request); stops reading past one buffer. */
  private stash(chunk: Buffer): void {
    this.input.append(chunk);
    if (this.input.length > this.bufsize) this.pauseClient();
  }

  /** Reads and serves every complete head in the buffer, one request at a time. */
  private readHeads(): void {
    // A request answered at once (deny, redirect) finishes inside startRequest and comes back
    // here for the next pipelined one: loop instead of recursing.
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    try {
      do {
        this.readAgain = false;
        if (this.phase !== Phase.Head) break;
        const r = this.input.parseHead(this.limits);
        if (!r || r.kind === 'incomplete') break;
        if (r.kind === 'error') {
          // A refusal HAProxy has no error page for (505: a major version other than 1) is its
          // 400: errorfiles, logs and counters only know HAProxy's codes.
          this.badRequest(ERROR_CODES.includes(r.status) ? r.status : 400);
          break;
        }
        this.input.consume(r.head.headLength);
        this.startRequest(r.head);
      } while (this.readAgain);
    } finally {
      this.reading = false;
    }
  }

  private startRequest(head: RequestHead): void {
    this.head = head;
    this.bytesIn = head.headLength;
    this.bytesOut = 0;
    this.closeAfter = false;
    this.serverDirty = false;
    this.retriedStale = false;
    this.resHead = undefined;
    this.resDone = false;
    if (head.framing.kind === 'none') this.reqDone = true;
    else {
      const body = (this.reqBody ??= new BodyRelay());
      body.reset(head.framing);
      this.reqDone = body.done;
    }
    this.waitClient(ClientWait.None, undefined);
    if (head.upgrade === 'websocket' && !validWebsocketKey(headerValue(head.headers, 'sec-websocket-key'))) {
      this.badRequest(400);
      return;
    }
    if (this.fes.bufferRequest && !this.reqDone) {
      this.phase = Phase.Buffering;
      this.waitClient(ClientWait.Request, this.fes.timeouts.httpRequest);
      this.bufferBody();
      return;
    }
    this.ps.begin({ method: head.method, uri: head.target, version: head.version, headers: head.headers, bodyComplete: this.reqDone });
    this.streamBegun(head);
    this.decide(this.ps.request());
  }

  /** begin() ran: captures read the head as received, before any rule. */
  private streamBegun(head: RequestHead): void {
    this.inStream = true;
    if (this.log) this.log.requestHead(this.ps.ctx, head);
    else if (this.logger) this.logger.captureRequest(this.ps.ctx, UNLOGGED, head.headers);
  }

  /**
   * `option http-buffer-request`: the rules see the body (Content-Length bodies that fit in the
   * buffer); a chunked or larger body lets them run on what arrived once the buffer is full.
   */
  private bufferBody(): void {
    const head = this.head!;
    const have = this.input.length;
    const length = head.framing.kind === 'length' ? head.framing.length : Infinity;
    const room = this.bufsize - head.headLength;
    if (have < length && have < room) return;
    const body = head.framing.kind === 'length' ? (this.input.bytes ?? EMPTY_BODY).subarray(0, Math.min(length, have)) : undefined;
    this.waitClient(ClientWait.None, undefined);
    this.phase = Phase.Head;
    this.ps.begin({ method: head.method, uri: head.target, version: head.version, headers: head.headers, body, bodyComplete: have >= length });
    this.streamBegun(head);
    this.decide(this.ps.request());
  }

  clientEnd(): void {
    this.clientEnded = true;
    switch (this.phase) {
      case Phase.Head:
        // Nothing asked, or half a head that can never complete: close without a word.
        this.client.destroy();
        return;
      case Phase.Closed:
        return;
      default:
        // The request body can no longer complete: nothing sensible can follow.
        if (!this.reqDone) this.client.destroy();
    }
  }

  clientDrain(): void {
    if (this.clientWait === ClientWait.Write) this.waitClient(ClientWait.None, undefined);
    else this.clientTimer.touch();
    if (this.serverPaused && this.server) {
      this.serverPaused = false;
      this.server.resume();
    }
  }

  clientClose(): void {
    if (this.finished) return;
    this.finished = true;
    const phase = this.phase;
    this.phase = Phase.Closed;
    if (this.cancel) {
      const c = this.cancel;
      this.cancel = undefined;
      c();
    }
    this.dropServer();
    if (this.log) this.logAbort(phase);
    this.endStream();
    this.clientTimer.dispose();
    this.serverTimer?.dispose();
    this.input.take();
    this.closed();
  }

  /**
   * The client went away with a stream open (its fault unless something else ended it first),
   * or with half a request head: HAProxy logs that one as a 400 with no request line.
   */
  private logAbort(phase: Phase): void {
    const log = this.log!;
    if (this.inStream) {
      log.terminate('client');
      return;
    }
    if (phase !== Phase.Head || this.input.length === 0) return;
    this.ps.begin({ method: '<BADREQ>', uri: '', version: '1.1', headers: [] });
    this.inStream = true;
    log.rawReply(this.ps.ctx, 0);
    log.status = 400;
    log.terminate('client', 'request');
  }

  deadlineExpired(which: Deadline): void {
    try {
      if (which === this.clientTimer) this.onClientTimeout();
      else this.onServerTimeout();
    } catch (e) {
      this.crash(e);
    }
  }

  private onClientTimeout(): void {
    const wait = this.clientWait;
    this.clientWait = ClientWait.None;
    switch (wait) {
      case ClientWait.FirstRequest:
      case ClientWait.Request:
        if (this.phase === Phase.Head || this.phase === Phase.Buffering) this.badRequest(408);
        return;
      case ClientWait.Inspect:
        if (this.phase === Phase.Rules) {
          this.ps.expire();
          this.decide(this.ps.request());
        }
        return;
      case ClientWait.None:
        return;
      case ClientWait.KeepAlive:
        this.client.destroy();
        return;
      default:
        // A client that stopped sending its body or reading the response.
        this.log?.terminate('client-timeout');
        this.client.destroy();
    }
  }

  private waitClient(wait: ClientWait, ms: number | undefined): void {
    this.clientWait = ms ? wait : ClientWait.None;
    this.clientTimer.arm(ms);
  }

  private pauseClient(): void {
    if (this.clientPaused) return;
    this.clientPaused = true;
    this.client.pause();
  }

  private resumeClient(): void {
    if (!this.clientPaused) return;
    this.clientPaused = false;
    this.client.resume();
  }

  // ---- decisions ---------------------------------------------------------------------------

  private decide(step: RequestStep): void {
    switch (step.kind) {
      case 'wait':
        if (this.fes.inspectDelay <= 0 || this.reqDone) {
          // Nothing more can come that the rules could use: they decide on what is there.
          this.ps.expire();
          this.decide(this.ps.request());
          return;
        }
        this.phase = Phase.Rules;
        this.waitClient(ClientWait.Inspect, this.fes.inspectDelay);
        return;
      case 'close':
        this.log?.terminate('proxy');
        this.phase = Phase.Closed;
        this.client.destroy();
        return;
      case 'reply':
        if (this.log) this.logOutcome(step.outcome);
        this.reply(step.reply);
        return;
      case 'service':
        // The stats page or a `use-service` applet answers: rendered here, finished by the sim.
        if (this.log) this.logOutcome(step.outcome);
        this.reply(this.ps.serviceReply(serveService(this.ctx, step, this.ps.ctx)));
        return;
      case 'queue':
        this.phase = Phase.Connecting;
        this.be = step.backend;
        this.connectSettled = false;
        this.log?.queued();
        {
          const c = this.ctx.upstreams.enqueue(step.backend.name, (this.onSlot ??= (slot) => this.guarded(() => this.slot(slot))));
          if (!this.connectSettled) this.cancel = c;
        }
        return;
      case 'forward':
        this.phase = Phase.Connecting;
        this.be = step.backend;
        this.bes = this.ctx.settings(step.backend);
        this.holdsSlot = true;
        this.log?.connecting();
        this.connect(step.server);
        return;
    }
  }

  /** How a stream the rules answered ends in the log (first cause wins). */
  private logOutcome(outcome: string): void {
    const log = this.log!;
    if (outcome === 'deny') log.terminate('proxy');
    else if (outcome === 'tarpit') log.terminate('proxy', 'tarpit');
    else if (outcome === 'redirect' || outcome === 'return' || outcome === 'service') log.terminate('local');
    // 'error': no backend or no server left (503).
    else if (outcome === 'error') log.terminate(this.be ? 'server' : 'proxy', this.be ? 'connect' : 'request');
  }

  private connect(server: string): void {
    const be = this.be!.name;
    if (this.notFirst && !this.retriedStale) {
      const idle = idleConnection(this.ctx.upstreams, be, server);
      if (idle) {
        this.attach(idle, true);
        this.sendRequest();
        return;
      }
    }
    this.connectSettled = false;
    this.onConnected ??= (err, conn) => this.guarded(() => this.connected(err, conn));
    this.redispatch ??= () => {
      const next = this.ps.redispatch();
      this.log?.redispatched();
      return next;
    };
    // The stream goes along for a server's `sni <expr>` (req.hdr(host)…).
    const c = connectServer(this.ctx.upstreams, be, server, this.redispatch, this.onConnected, !this.notFirst || this.retriedStale, this.ps.ctx);
    // `done` may have run already.
    if (!this.connectSettled) this.cancel = c;
  }

  private slot(slot: boolean): void {
    this.connectSettled = true;
    this.cancel = undefined;
    if (this.phase === Phase.Closed) return;
    if (!slot) {
      this.log?.terminate('server-timeout', 'queue');
      this.reply(this.ps.errorReply(503));
    } else this.decide(this.ps.select());
  }

  private connected(err: UpstreamFailure | undefined, conn?: UpstreamConnection): void {
    this.connectSettled = true;
    this.cancel = undefined;
    if (this.phase === Phase.Closed) {
      if (conn) this.ctx.upstreams.release(conn, false);
      return;
    }
    if (err || !conn) {
      this.log?.terminate(err?.kind === 'timeout' ? 'server-timeout' : 'server', 'connect');
      this.reply(this.ps.errorReply(503));
      return;
    }
    this.attach(conn, conn.reused);
    this.sendRequest();
  }

  // ---- HAProxy's own answers ---------------------------------------------------------------

  /** A malformed or timed-out request: HAProxy's 400/408 (errorfiles, after-response), then close. */
  private badRequest(code: number): void {
    this.waitClient(ClientWait.None, undefined);
    let raw = false;
    if (!this.inStream) {
      // No stream exists for bytes that never made a request: open one for the error's sake.
      this.ps.begin({ method: '<BADREQ>', uri: '', version: '1.1', headers: [] });
      this.inStream = true;
      raw = true;
    }
    if (this.log) this.log.terminate(code === 408 ? 'client-timeout' : 'proxy', 'request');
    this.head = undefined;
    this.closeAfter = true;
    this.reply(this.ps.errorReply(code), raw);
  }

  /** Writes the pipeline's reply (deny, return, redirect, errors) and finishes the stream. */
  private reply(reply: Reply, raw = false): void {
    this.dropServer();
    const head = this.head;
    const input = this.input;
    if (head && !this.reqDone && input.bytes) {
      // The request body already here is read past (not forwarded) so the connection can go on.
      const body = this.reqBody!;
      const n = body.relay(input.bytes, 0, undefined);
      if (!body.failed) {
        input.consume(n);
        this.reqDone = body.done;
      }
    }
    const close = this.closeAfter || this.retiring === null || !head || !head.keepAlive || !this.reqDone || saysClose(reply.headers);
    this.closeAfter = close;
    const body = head?.method === 'HEAD' ? EMPTY_BODY : (this.ps.ctx.response?.body ?? EMPTY_BODY);
    const n = writeReply(this.client, reply, body, close);
    this.bytesOut += n;
    if (this.log) {
      if (raw) this.log.rawReply(this.ps.ctx, n);
      else this.log.reply(reply, body.length);
    }
    this.resDone = true;
    this.finishExchange();
  }

  // ---- server side: forwarding the request -------------------------------------------------

  /** Makes `conn` the exchange's server connection; the socket's events lead back here. */
  private attach(conn: UpstreamConnection, reused: boolean): void {
    const s = conn.socket;
    this.conn = conn;
    this.server = s;
    this.connReused = reused;
    this.serverEnded = false;
    this.serverPaused = false;
    this.serverPending = undefined;
    bindServer(s, this);
    if (s.isPaused()) s.resume();
    this.log?.connected(s);
  }

  /** Ends the exchange's hold on its server connection. */
  private detach(): UpstreamConnection | undefined {
    const conn = this.conn;
    const s = this.server;
    if (!conn || !s) return undefined;
    if (this.serverPaused) {
      this.serverPaused = false;
      s.resume();
    }
    this.conn = undefined;
    this.server = undefined;
    this.serverPending = undefined;
    this.serverTimer?.disarm();
    return conn;
  }

  /** Gives the server connection back unusable (the exchange broke or was answered by a rule). */
  private dropServer(): void {
    const conn = this.detach();
    if (conn) this.giveBack(conn, false);
  }

  /** Hands a connection to the upstream layer (its shared pool when reusable), without our handlers. */
  private giveBack(conn: UpstreamConnection, reusable: boolean): void {
    unbindServer(conn.socket);
    this.ctx.upstreams.release(conn, reusable);
  }

  private armServerTimer(): void {
    (this.serverTimer ??= new Deadline(this)).arm(this.bes!.timeouts.server);
  }

  // Server socket events (socket-events.ts): only the exchange's own socket is bound to us.
  serverData(socket: Socket, chunk: Buffer): void {
    if (socket === this.server) this.responseData(chunk);
  }

  serverEnd(socket: Socket): void {
    if (socket === this.server) this.serverGone();
  }

  serverClose(socket: Socket): void {
    if (socket === this.server) this.serverGone();
  }

  serverDrain(socket: Socket): void {
    if (socket !== this.server) return;
    this.serverTimer?.touch();
    if (this.clientPaused && this.phase !== Phase.Head) this.resumeClient();
  }

  private sendRequest(): void {
    const head = this.head!;
    const s = this.server!;
    this.phase = Phase.Exchange;
    this.resHead = undefined;
    const text = requestHeadText(this.ps.ctx.request!, head.framing, head.upgrade !== undefined);
    if (this.reqDone) s.write(text, 'latin1');
    else {
      // Head and the body bytes already here go out together.
      s.cork();
      s.write(text, 'latin1');
      const early = this.input.take();
      if (early) this.forwardRequestBody(early);
      s.uncork();
    }
    this.armServerTimer();
    // A body still to come is not timed on the client side: until the response, `timeout server`
    // runs (HAProxy 2.6 answers a stalled upload with 504, observed).
    if (!this.reqDone) this.resumeClient();
  }

  private forwardRequestBody(chunk: Buffer): void {
    const body = this.reqBody!;
    const n = body.relay(chunk, 0, this.server);
    if (body.failed) {
      // Bad chunk framing: what follows cannot be trusted on either connection.
      this.serverDirty = true;
      if (this.resHead) {
        this.log?.terminate('client', 'data');
        this.client.destroy();
      } else this.badRequest(400);
      return;
    }
    if (n > 0) {
      this.bytesIn += n;
      this.clientTimer.touch();
      if (body.blocked) this.pauseClient();
    }
    if (body.done) {
      this.reqDone = true;
      if (this.clientWait === ClientWait.Body) this.waitClient(ClientWait.None, undefined);
      if (n < chunk.length) this.stash(chunk.subarray(n));
      if (this.resDone && this.resHead) this.finishExchange();
    }
  }

  // ---- server side: relaying the response --------------------------------------------------

  private responseData(chunk: Buffer): void {
    if (!this.resHead) {
      this.serverPending = this.serverPending ? Buffer.concat([this.serverPending, chunk]) : chunk;
      this.readResponseHeads();
      return;
    }
    if (!this.resDone) this.forwardResponseBody(chunk, 0);
    else this.serverDirty = true;
  }

  private readResponseHeads(): void {
    for (;;) {
      const buf = this.serverPending;
      if (!buf) return;
      const r = parseResponseHead(buf, this.limits, this.head!.method);
      if (r.kind === 'incomplete') return;
      if (r.kind === 'error') {
        this.badResponse();
        return;
      }
      const h = r.head;
      const rest = h.headLength < buf.length ? buf.subarray(h.headLength) : undefined;
      if (h.status < 200 && h.status !== 101) {
        // 100 Continue and other interim responses go to the client as they are.
        this.serverPending = rest;
        const text = interimHeadText(h);
        this.client.write(text, 'latin1');
        this.bytesOut += text.length;
        continue;
      }
      this.serverPending = undefined;
      this.responseHead(h, rest);
      return;
    }
  }

  private responseHead(h: ResponseHead, rest: Buffer | undefined): void {
    const head = this.head!;
    if (h.status === 101 && !this.upgradeAccepted(head, h)) {
      this.badResponse();
      return;
    }
    this.serverTimer?.disarm();
    this.log?.serverHead(this.ps.ctx, h.headers);
    const step = this.ps.response({ status: h.status, reason: h.reason, version: h.version, headers: h.headers });
    if (step.kind === 'close') {
      this.log?.terminate('proxy', 'headers');
      this.serverDirty = true;
      this.phase = Phase.Closed;
      this.client.destroy();
      return;
    }
    if (step.kind === 'reply') {
      this.log?.terminate(step.outcome === 'deny' || step.outcome === 'error' ? 'proxy' : 'local', 'headers');
      this.reply(step.reply);
      return;
    }
    this.resHead = h;
    this.log?.responseHead(this.ps.ctx);
    // A 2xx to CONNECT makes the connection a tunnel, as a 101 does (RFC 9110 §9.3.6; HAProxy
    // 2.6 relays what follows verbatim, observed); any other answer to CONNECT stays HTTP.
    const connectTunnel = head.method === 'CONNECT' && h.status >= 200 && h.status < 300;
    const upgrade = h.status === 101 || connectTunnel;
    const resBody = (this.resBody ??= new BodyRelay());
    resBody.reset(upgrade ? { kind: 'none' } : h.framing);
    let how: ClientConnection;
    if (h.status === 101) how = ClientConnection.Upgrade;
    else if (connectTunnel) how = ClientConnection.Keep;
    // A client that already shut its side is closed after the response but not told (as HAProxy).
    else if (h.framing.kind === 'close' || !head.keepAlive || this.retiring === null) how = ClientConnection.Close;
    else how = head.version === '1.0' ? ClientConnection.KeepAnnounced : ClientConnection.Keep;
    this.closeAfter = how === ClientConnection.Close;
    const text = responseHeadText(this.ps.ctx.response!, how, h.framing);
    const c = this.client;
    this.bytesOut += text.length;
    const framing = h.framing;
    if (!upgrade && framing.kind === 'length' && framing.length <= SMALL_BODY && (rest?.length ?? 0) >= framing.length) {
      // The common small response, all here: head and body leave in one buffer, one syscall.
      const n = framing.length;
      const out = Buffer.allocUnsafe(text.length + n);
      out.write(text, 0, 'latin1');
      if (n) rest!.copy(out, text.length, 0, n);
      resBody.relay(rest ?? EMPTY_BUFFER, 0, undefined);
      this.bytesOut += n;
      if (rest && rest.length > n) this.serverDirty = true;
      if (!c.write(out) && !resBody.done) this.pauseServer();
      this.responseDone();
      return;
    }
    c.cork();
    c.write(text, 'latin1');
    if (upgrade) {
      this.startTunnel(rest);
      c.uncork();
      return;
    }
    if (rest) this.forwardResponseBody(rest, 0);
    else if (resBody.done) this.responseDone();
    c.uncork();
    if (!this.resDone) this.armServerTimer();
  }

  /** A 101 is only good for a request that asked to upgrade, and for WebSocket with the right accept key. */
  private upgradeAccepted(head: RequestHead, h: ResponseHead): boolean {
    if (!head.upgrade) return false;
    if (head.upgrade !== 'websocket') return true;
    const key = headerValue(head.headers, 'sec-websocket-key');
    const accept = headerValue(h.headers, 'sec-websocket-accept');
    return key !== undefined && accept !== undefined && accept.trim() === websocketAccept(key.trim());
  }

  private forwardResponseBody(chunk: Buffer, off: number): void {
    const body = this.resBody!;
    const n = body.relay(chunk, off, this.client);
    if (body.failed) {
      this.log?.terminate('server', 'data');
      this.serverDirty = true;
      this.client.destroy();
      return;
    }
    if (n > 0) {
      this.bytesOut += n;
      this.serverTimer?.touch();
      if (body.blocked) {
        this.pauseServer();
        if (this.clientWait === ClientWait.None) this.waitClient(ClientWait.Write, this.fes.timeouts.client);
      }
    }
    if (body.done) {
      if (off + n < chunk.length) this.serverDirty = true;
      this.responseDone();
    }
  }

  private pauseServer(): void {
    if (this.serverPaused || !this.server) return;
    this.serverPaused = true;
    this.server.pause();
  }

  private responseDone(): void {
    this.resDone = true;
    if (this.reqDone) this.finishExchange();
    else this.waitClient(ClientWait.Body, this.fes.timeouts.client);
    // Else the server answered before the whole request body came: the body keeps flowing to
    // it and the exchange ends with the body (forwardRequestBody).
  }

  /** The server closed (or reset) its connection during an exchange. */
  private serverGone(): void {
    this.serverEnded = true;
    if (this.phase !== Phase.Exchange || !this.conn) return;
    if (!this.resHead) {
      const stale = this.connReused && !this.serverPending && this.bytesIn === this.head!.headLength && !this.retriedStale;
      if (stale) {
        // A pooled connection the server had closed meanwhile: try once more on a new one,
        // as HAProxy does for idempotent retries on reused connections.
        this.retriedStale = true;
        this.dropServer();
        this.phase = Phase.Connecting;
        this.connect(this.ps.ctx.server ?? '');
        return;
      }
      this.badResponse();
      return;
    }
    const body = this.resBody!;
    if (body.untilClose && !this.resDone) {
      this.serverDirty = true;
      body.senderClosed();
      this.responseDone();
      return;
    }
    if (!this.resDone) {
      // Truncated response: the client cannot be told otherwise.
      this.log?.terminate('server', 'data');
      this.serverDirty = true;
      this.client.destroy();
    }
  }

  private badResponse(): void {
    this.serverDirty = true;
    this.log?.terminate('server', this.resHead ? 'data' : 'headers');
    if (this.resHead) {
      this.client.destroy();
      return;
    }
    this.reply(this.ps.errorReply(502));
  }

  private onServerTimeout(): void {
    if (this.phase !== Phase.Exchange) return;
    this.log?.terminate('server-timeout', this.resHead ? 'data' : 'headers');
    if (!this.resHead) this.reply(this.ps.errorReply(504));
    else this.client.destroy();
  }

  // ---- keep-alive: the end of an exchange and the next request -----------------------------

  private finishExchange(): void {
    if (!this.reqDone) this.closeAfter = true;
    const conn = this.detach();
    const keepClient = !this.closeAfter && !this.clientEnded;
    if (conn) {
      // Back to the server's shared pool at once (http-reuse safe): an idle client pins nothing.
      const reusable = !this.serverDirty && !this.serverEnded && this.reqDone && this.resHead?.keepAlive === true;
      this.giveBack(conn, reusable);
    }
    this.endStream();
    this.notFirst = true;
    this.resHead = undefined;
    if (!keepClient) {
      this.phase = Phase.Closed;
      this.client.destroySoon();
      return;
    }
    this.phase = Phase.Head;
    this.head = undefined;
    // An idle keep-alive client holds no request, response or context of its last stream.
    this.ps.rest();
    if (this.retiring) return this.leave();
    this.log?.next();
    this.waitClient(ClientWait.KeepAlive, this.fes.timeouts.httpKeepAlive);
    this.resumeClient();
    if (this.input.bytes) {
      this.log?.requestStart();
      this.waitClient(ClientWait.Request, this.fes.timeouts.httpRequest);
      this.readHeads();
    }
  }

  private endStream(): void {
    if (!this.inStream) return;
    this.inStream = false;
    this.ps.end({ bytesIn: this.bytesIn, bytesOut: this.bytesOut, keepSession: !this.closeAfter && !this.finished });
    if (this.holdsSlot) {
      this.holdsSlot = false;
      this.ctx.upstreams.slotFreed(this.be!.name);
    }
    const log = this.log;
    if (log) {
      if (this.reqBody && this.head && this.head.framing.kind !== 'none') log.bodyIn(this.reqBody.payload);
      const res = this.resHead;
      if (this.resBody && res) log.bodyOut(this.resBody.payload + (res.framing.kind === 'chunked' ? CHUNKED_END_BYTES : 0));
      log.end(this.ps.ctx);
    }
  }

  // ---- tunnel (after 101) ------------------------------------------------------------------

  /**
   * After a 101 or a 2xx to CONNECT the two sockets become a tunnel (tunnel.ts, shared with mode
   * tcp): handed over with what each side already sent, under `timeout tunnel` (else
   * client/server) and client-fin/server-fin once half-closed. A client's FIN goes to the server
   * at once and the server may still answer (HAProxy 2.6 half-closes a CONNECT tunnel so,
   * observed). The stream ends when the tunnel does.
   */
  private startTunnel(rest: Buffer | undefined): void {
    this.phase = Phase.Tunnel;
    const server = this.server!;
    unbindClient(this.client);
    unbindServer(server);
    this.clientTimer.disarm();
    this.serverTimer?.disarm();
    if (this.clientPaused) {
      this.clientPaused = false;
      this.client.resume();
    }
    if (this.serverPaused) {
      this.serverPaused = false;
      server.resume();
    }
    // Bytes the client sent after its upgrade request belong to the new protocol.
    const toServer = this.input.take();
    this.tunnel = startTunnel(this.client, server, tunnelTimeouts(this.ctx, this.ps.frontend, this.be!), (end) => this.guarded(() => this.tunnelEnded(end)), {
      toServer, toClient: rest, clientEnded: this.clientEnded,
    });
  }

  /** Both sockets of the tunnel are closed: the connection is over. */
  private tunnelEnded(end: TunnelEnd): void {
    this.tunnel = undefined;
    this.bytesIn += end.bytesIn;
    this.bytesOut += end.bytesOut;
    const log = this.log;
    if (log) {
      log.bodyIn(end.bytesIn);
      log.bodyOut(end.bytesOut);
      if (end.reason === 'client-timeout') log.terminate('client-timeout', 'data');
      else if (end.reason === 'server-timeout') log.terminate('server-timeout', 'data');
      else if (end.reason === 'client-error') log.terminate('client', 'data');
      else if (end.reason === 'server-error') log.terminate('server', 'data');
      else if (end.reason === 'aborted') log.terminate('killed', 'data');
    }
    const conn = this.conn;
    this.conn = undefined;
    this.server = undefined;
    if (conn) this.ctx.upstreams.release(conn, false);
    this.clientClose();
  }

  // ---- safety ------------------------------------------------------------------------------

  private guarded(f: () => void): void {
    try {
      f();
    } catch (e) {
      this.crash(e);
    }
  }

  /** An unexpected exception: logged, and this connection only is closed. */
  crash(e: unknown): void {
    process.stderr.write(`haplo run: internal error on a client connection, closing it: ${(e as Error)?.stack ?? String(e)}\n`);
    this.log?.terminate('internal');
    this.phase = Phase.Closed;
    this.client.destroy();
  }
}
