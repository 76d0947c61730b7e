// One client connection in `mode http`. It moves bytes and keeps time; every decision (rules,
// backend, server, HAProxy's own answers) comes from the simulator's PipelineSession, driven
// step by step: accept → per request begin → request → forward|reply|queue|close → response →
// end. Requests on a connection are served one at a time, in order (pipelined ones wait in
// `pending`); bodies stream through with bounded buffers and backpressure on both sockets.
//
// Timers follow HAProxy 2.6 as observed: `timeout http-request` from the accept (or from the
// first byte of a keep-alive request) → 408 and close; `timeout http-keep-alive` between
// requests → silent close; `timeout client` while the client is expected to send (a body) or
// to read (a blocked write); `timeout server` while waiting for the server → 504 before the
// response head, an aborted connection after; `timeout tunnel` after a 101.
import type { Socket } from 'node:net';
import { ERROR_CODES, PipelineSession, type CompiledProxy, type Reply, type RequestStep } from '@haplo/sim';
import { parseRequestHead } from '../http/request-head.js';
import { parseResponseHead } from '../http/response-head.js';
import type { HeadLimits, RequestHead, ResponseHead } from '../http/types.js';
import type { ClientOrigin, ClientSession, SessionFactory } from '../process/client-session.js';
import type { Cancel, ProxyContext, ProxySettings, UpstreamConnection, UpstreamFailure } from '../process/types.js';
import { BodyRelay } from './body-relay.js';
import { KeptConnections } from './kept-connections.js';
import { bindClient, bindServer, unbindClient, unbindServer, type SocketOwner } from './socket-events.js';
import { tunnelTimeouts } from './tcp-timeouts.js';
import { startTunnel, type Tunnel, type TunnelEnd } from './tunnel.js';
import { Deadline } from './deadline.js';
import { ClientConnection, interimHeadText, replyHeadText, requestHeadText, responseHeadText } from './head-text.js';
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
const FRESH = Object.freeze({ fresh: true });
/** Upstreams.connect with the pooled implementation's optional options. */
type ConnectWithOptions = (
  backend: string,
  server: string,
  redispatch: () => string | undefined,
  done: (err: UpstreamFailure | undefined, conn?: UpstreamConnection) => void,
  options?: { fresh?: boolean },
) => Cancel;

export const startHttpSession: SessionFactory = (ctx, frontend, socket, origin, closed) =>
  new HttpSession(ctx, frontend, socket, origin, closed);

export class HttpSession implements ClientSession, SocketOwner {
  private readonly ps: PipelineSession;
  private readonly fes: ProxySettings;
  private readonly limits: HeadLimits;
  private readonly bufsize: number;
  private phase = Phase.Head;
  /** Client bytes read but not yet used (a partial head, pipelined requests, an early body). */
  private pending: Buffer | undefined;
  private head: RequestHead | undefined;
  private be: CompiledProxy | undefined;
  private bes: ProxySettings | undefined;
  private conn: UpstreamConnection | undefined;
  private server: Socket | undefined;
  private cancel: Cancel | undefined;
  private readonly reqBody = new BodyRelay();
  private readonly resBody = new BodyRelay();
  private resHead: ResponseHead | undefined;
  /** Server bytes read before the response head was complete. */
  private serverPending: Buffer | undefined;
  /** begin() ran and end() has not. */
  private inStream = false;
  /** The stream was given a server slot (beginConnection): free it at the end. */
  private holdsSlot = false;
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
  /** The exchange's connection came from a pool or was kept: the server may have closed it meanwhile. */
  private connReused = false;
  /** Idle server connections kept for this client's next requests. */
  private readonly kept = new KeptConnections((conn, reusable) => this.giveBack(conn, reusable));
  private bytesIn = 0;
  private bytesOut = 0;
  private clientWait = ClientWait.None;
  private reading = false;
  private readAgain = false;
  private finished = false;
  private readonly clientTimer = new Deadline(() => {
    try {
      this.onClientTimeout();
    } catch (e) {
      this.crash(e);
    }
  });
  private readonly serverTimer = new Deadline(() => {
    try {
      this.onServerTimeout();
    } catch (e) {
      this.crash(e);
    }
  });

  private readonly onConnected = (err: UpstreamFailure | undefined, conn?: UpstreamConnection): void => {
    try {
      this.connected(err, conn);
    } catch (e) {
      this.crash(e);
    }
  };
  private readonly onSlot = (slot: boolean): void => {
    try {
      this.slot(slot);
    } catch (e) {
      this.crash(e);
    }
  };
  private readonly redispatch = (): string | undefined => this.ps.redispatch();
  private readonly onTunnelEnd = (end: TunnelEnd): void => {
    try {
      this.tunnelEnded(end);
    } catch (e) {
      this.crash(e);
    }
  };
  /** After a 101: the tunnel that owns both sockets. */
  private tunnel: Tunnel | undefined;

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
    this.ps = new PipelineSession(ctx.pipeline, ctx.runtime, { frontend, ...origin, trace: false, queueing: true });
    bindClient(client, this);
    const accepted = this.ps.accept();
    if (accepted.kind === 'close') {
      this.phase = Phase.Closed;
      client.destroy();
      return;
    }
    this.waitClient(ClientWait.FirstRequest, this.fes.timeouts.httpRequest);
    client.resume();
  }

  /** The process stops: drop the connection now. */
  abort(): void {
    this.kept.releaseAll(false);
    if (this.tunnel) this.tunnel.abort();
    else this.client.destroy();
  }

  // ---- client side -------------------------------------------------------------------------

  clientData(chunk: Buffer): void {
    switch (this.phase) {
      case Phase.Head:
        this.append(chunk);
        if (this.clientWait === ClientWait.KeepAlive) this.waitClient(ClientWait.Request, this.fes.timeouts.httpRequest);
        this.readHeads();
        return;
      case Phase.Exchange:
        if (!this.reqDone && this.server) this.forwardRequestBody(chunk);
        else this.stash(chunk);
        return;
      case Phase.Buffering:
        this.append(chunk);
        this.bufferBody();
        return;
      case Phase.Closed:
        return;
      default:
        this.stash(chunk);
    }
  }

  private append(chunk: Buffer): void {
    this.pending = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
  }

  /** Keeps bytes for later (the next pipelined request); stops reading past one buffer. */
  private stash(chunk: Buffer): void {
    this.append(chunk);
    if (this.pending!.length > this.bufsize) this.pauseClient();
  }

  /** Reads and serves every complete head in `pending`, one request at a time. */
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
        if (this.phase !== Phase.Head || !this.pending) break;
        const r = parseRequestHead(this.pending, this.limits);
        if (r.kind === 'incomplete') break;
        if (r.kind === 'error') {
          this.badRequest(ERROR_CODES.includes(r.status) ? r.status : 400);
          break;
        }
        this.consume(r.head.headLength);
        this.startRequest(r.head);
      } while (this.readAgain);
    } finally {
      this.reading = false;
    }
  }

  private consume(n: number): void {
    const p = this.pending!;
    this.pending = n >= p.length ? undefined : p.subarray(n);
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
    this.reqBody.reset(head.framing);
    this.reqDone = this.reqBody.done;
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
    this.inStream = true;
    this.decide(this.ps.request());
  }

  /**
   * `option http-buffer-request`: the rules see the body (Content-Length bodies that fit in the
   * buffer); a chunked or larger body lets them run on what arrived once the buffer is full.
   */
  private bufferBody(): void {
    const head = this.head!;
    const have = this.pending?.length ?? 0;
    const length = head.framing.kind === 'length' ? head.framing.length : Infinity;
    const room = this.bufsize - head.headLength;
    if (have < length && have < room) return;
    const body = head.framing.kind === 'length' ? (this.pending ?? EMPTY_BODY).subarray(0, Math.min(length, have)) : undefined;
    this.waitClient(ClientWait.None, undefined);
    this.phase = Phase.Head;
    this.ps.begin({ method: head.method, uri: head.target, version: head.version, headers: head.headers, body, bodyComplete: have >= length });
    this.inStream = true;
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
    this.phase = Phase.Closed;
    if (this.cancel) {
      const c = this.cancel;
      this.cancel = undefined;
      c();
    }
    this.dropServer();
    this.kept.releaseAll(true);
    this.endStream();
    this.clientTimer.dispose();
    this.serverTimer.dispose();
    this.pending = undefined;
    this.closed();
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
      default:
        // Keep-alive idle, a client that stopped sending its body or reading the response.
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
        this.phase = Phase.Closed;
        this.client.destroy();
        return;
      case 'reply':
        this.reply(step.reply);
        return;
      case 'queue':
        this.phase = Phase.Connecting;
        this.be = step.backend;
        this.connectSettled = false;
        {
          const c = this.ctx.upstreams.enqueue(step.backend.name, this.onSlot);
          if (!this.connectSettled) this.cancel = c;
        }
        return;
      case 'forward':
        this.phase = Phase.Connecting;
        this.be = step.backend;
        this.bes = this.ctx.settings(step.backend);
        this.holdsSlot = true;
        this.connect(step.server);
        return;
    }
  }

  private connect(server: string): void {
    const kept = this.retriedStale ? undefined : this.kept.take(this.be!.name, server);
    if (kept) {
      this.attach(kept, true);
      this.sendRequest();
      return;
    }
    this.connectSettled = false;
    // After a reused connection failed, the retry must not take another idle one (the upstream
    // layer's optional `fresh`, ignored by one that has no pool).
    const upstreams = this.ctx.upstreams as unknown as { connect: ConnectWithOptions };
    const c = upstreams.connect(this.be!.name, server, this.redispatch, this.onConnected, this.retriedStale ? FRESH : undefined);
    // `done` may have run already (an idle pooled connection).
    if (!this.connectSettled) this.cancel = c;
  }

  private slot(slot: boolean): void {
    this.connectSettled = true;
    this.cancel = undefined;
    if (this.phase === Phase.Closed) return;
    if (!slot) this.reply(this.ps.errorReply(503));
    else this.decide(this.ps.select());
  }

  private connected(err: UpstreamFailure | undefined, conn?: UpstreamConnection): void {
    this.connectSettled = true;
    this.cancel = undefined;
    if (this.phase === Phase.Closed) {
      if (conn) this.ctx.upstreams.release(conn, false);
      return;
    }
    if (err || !conn) {
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
    if (!this.inStream) {
      // No stream exists for bytes that never made a request: open one for the error's sake.
      this.ps.begin({ method: '<BADREQ>', uri: '', version: '1.1', headers: [] });
      this.inStream = true;
    }
    this.head = undefined;
    this.closeAfter = true;
    this.reply(this.ps.errorReply(code));
  }

  /** Writes the pipeline's reply (deny, return, redirect, errors) and finishes the stream. */
  private reply(reply: Reply): void {
    this.dropServer();
    const head = this.head;
    if (head && !this.reqDone && this.pending) {
      // The request body already here is read past (not forwarded) so the connection can go on.
      const n = this.reqBody.relay(this.pending, 0, undefined);
      if (!this.reqBody.failed) {
        this.consume(n);
        this.reqDone = this.reqBody.done;
      }
    }
    const close = this.closeAfter || !head || !head.keepAlive || !this.reqDone || saysClose(reply.headers);
    this.closeAfter = close;
    const body = head?.method === 'HEAD' ? EMPTY_BODY : (this.ps.ctx.response?.body ?? EMPTY_BODY);
    const text = replyHeadText(reply.status, reply.reason, reply.headers, close);
    const c = this.client;
    if (!c.destroyed) {
      c.cork();
      c.write(text, 'latin1');
      if (body.length) c.write(body);
      c.uncork();
    }
    this.bytesOut += text.length + body.length;
    this.resDone = true;
    this.finishExchange();
  }

  // ---- server side -------------------------------------------------------------------------

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
  }

  /** Ends the exchange's hold on its server connection (the socket's handlers stay). */
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
    this.serverTimer.disarm();
    return conn;
  }

  /** Gives the server connection back unusable (the exchange broke or was answered by a rule). */
  private dropServer(): void {
    const conn = this.detach();
    if (conn) this.giveBack(conn, false);
  }

  /** Hands a connection to the upstream layer, without this session's handlers. */
  private giveBack(conn: UpstreamConnection, reusable: boolean): void {
    unbindServer(conn.socket);
    this.ctx.upstreams.release(conn, reusable);
  }

  // Server socket events (socket-events.ts): those of an idle kept socket are told apart from
  // the exchange's own.
  serverData(socket: Socket, chunk: Buffer): void {
    if (socket === this.server) this.responseData(chunk);
    else this.kept.idleEvent(socket);
  }

  serverEnd(socket: Socket): void {
    if (socket === this.server) this.responseEnd();
    else this.kept.idleEvent(socket);
  }

  serverClose(socket: Socket): void {
    if (socket === this.server) this.responseClose();
    else this.kept.idleEvent(socket);
  }

  serverDrain(socket: Socket): void {
    if (socket !== this.server) return;
    this.serverTimer.touch();
    if (this.clientPaused && this.phase !== Phase.Head) this.resumeClient();
  }

  private sendRequest(): void {
    const head = this.head!;
    const s = this.server!;
    this.phase = Phase.Exchange;
    this.resHead = undefined;
    const text = requestHeadText(this.ps.ctx.request!, head.framing.kind === 'chunked', head.upgrade !== undefined);
    if (this.reqDone) s.write(text, 'latin1');
    else {
      // Head and the body bytes already here go out together.
      s.cork();
      s.write(text, 'latin1');
      if (this.pending) {
        const early = this.pending;
        this.pending = undefined;
        this.forwardRequestBody(early);
      }
      s.uncork();
    }
    this.serverTimer.arm(this.bes!.timeouts.server);
    // A body still to come is not timed on the client side: until the response, `timeout server`
    // runs (HAProxy 2.6 answers a stalled upload with 504, observed).
    if (!this.reqDone) this.resumeClient();
  }

  private forwardRequestBody(chunk: Buffer): void {
    const n = this.reqBody.relay(chunk, 0, this.server);
    if (this.reqBody.failed) {
      // Bad chunk framing: what follows cannot be trusted on either connection.
      this.serverDirty = true;
      if (this.resHead) this.client.destroy();
      else this.badRequest(400);
      return;
    }
    if (n > 0) {
      this.bytesIn += n;
      this.clientTimer.touch();
      if (this.reqBody.blocked) this.pauseClient();
    }
    if (this.reqBody.done) {
      this.reqDone = true;
      if (this.clientWait === ClientWait.Body) this.waitClient(ClientWait.None, undefined);
      if (n < chunk.length) this.stash(chunk.subarray(n));
      if (this.resDone && this.resHead) this.finishExchange();
    }
  }

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
    this.serverTimer.disarm();
    const step = this.ps.response({ status: h.status, reason: h.reason, version: h.version, headers: h.headers });
    if (step.kind === 'close') {
      this.serverDirty = true;
      this.phase = Phase.Closed;
      this.client.destroy();
      return;
    }
    if (step.kind === 'reply') {
      this.reply(step.reply);
      return;
    }
    this.resHead = h;
    const upgrade = h.status === 101;
    this.resBody.reset(upgrade ? { kind: 'none' } : h.framing);
    let how: ClientConnection;
    if (upgrade) how = ClientConnection.Upgrade;
    // A client that already shut its side is closed after the response but not told (as HAProxy).
    else if (h.framing.kind === 'close' || !head.keepAlive) how = ClientConnection.Close;
    else how = head.version === '1.0' ? ClientConnection.KeepAnnounced : ClientConnection.Keep;
    this.closeAfter = how === ClientConnection.Close;
    const text = responseHeadText(this.ps.ctx.response!, how, h.framing.kind === 'chunked');
    const c = this.client;
    this.bytesOut += text.length;
    const framing = h.framing;
    if (!upgrade && framing.kind === 'length' && framing.length <= SMALL_BODY && (rest?.length ?? 0) >= framing.length) {
      // The common small response, all here: head and body leave in one buffer, one syscall.
      const n = framing.length;
      const out = Buffer.allocUnsafe(text.length + n);
      out.write(text, 0, 'latin1');
      if (n) rest!.copy(out, text.length, 0, n);
      this.resBody.relay(rest ?? EMPTY_BUFFER, 0, undefined);
      this.bytesOut += n;
      if (rest && rest.length > n) this.serverDirty = true;
      if (!c.write(out) && !this.resBody.done) this.pauseServer();
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
    else if (this.resBody.done) this.responseDone();
    c.uncork();
    if (!this.resDone) this.serverTimer.arm(this.bes!.timeouts.server);
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
    const n = this.resBody.relay(chunk, off, this.client);
    if (this.resBody.failed) {
      this.serverDirty = true;
      this.client.destroy();
      return;
    }
    if (n > 0) {
      this.bytesOut += n;
      this.serverTimer.touch();
      if (this.resBody.blocked) {
        this.pauseServer();
        if (this.clientWait === ClientWait.None) this.waitClient(ClientWait.Write, this.fes.timeouts.client);
      }
    }
    if (this.resBody.done) {
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

  private responseEnd(): void {
    this.serverEnded = true;
    this.serverGone();
  }

  private responseClose(): void {
    this.serverEnded = true;
    this.serverGone();
  }

  /** The server closed (or reset) its connection during an exchange. */
  private serverGone(): void {
    if (this.phase !== Phase.Exchange || !this.conn) return;
    if (!this.resHead) {
      const stale = this.connReused && !this.serverPending && this.bytesIn === this.head!.headLength && !this.retriedStale;
      if (stale) {
        // A pooled connection the server had closed meanwhile: try once more on another one,
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
    if (this.resBody.untilClose && !this.resDone) {
      this.serverDirty = true;
      this.resBody.senderClosed();
      this.responseDone();
      return;
    }
    if (!this.resDone) {
      // Truncated response: the client cannot be told otherwise.
      this.serverDirty = true;
      this.client.destroy();
    }
  }

  private badResponse(): void {
    this.serverDirty = true;
    if (this.resHead) {
      this.client.destroy();
      return;
    }
    this.reply(this.ps.errorReply(502));
  }

  private onServerTimeout(): void {
    if (this.phase !== Phase.Exchange) return;
    if (!this.resHead) this.reply(this.ps.errorReply(504));
    else this.client.destroy();
  }

  // ---- end of an exchange ------------------------------------------------------------------

  private finishExchange(): void {
    if (!this.reqDone) this.closeAfter = true;
    const conn = this.detach();
    const keepClient = !this.closeAfter && !this.clientEnded;
    if (conn) {
      const reusable = !this.serverDirty && !this.serverEnded && this.reqDone && this.resHead?.keepAlive === true;
      if (reusable && keepClient) this.kept.keep(conn);
      else this.giveBack(conn, reusable);
    }
    this.endStream();
    if (this.closeAfter || this.clientEnded) {
      this.phase = Phase.Closed;
      this.client.destroySoon();
      return;
    }
    this.phase = Phase.Head;
    this.head = undefined;
    this.waitClient(ClientWait.KeepAlive, this.fes.timeouts.httpKeepAlive);
    this.resumeClient();
    if (this.pending) {
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
  }

  // ---- tunnel (after 101) ------------------------------------------------------------------

  /**
   * After a 101 the two sockets become a tunnel (tunnel.ts, shared with mode tcp): handed over
   * with what each side already sent, under `timeout tunnel` (else client/server) and
   * client-fin/server-fin once half-closed. The stream ends when the tunnel does.
   */
  private startTunnel(rest: Buffer | undefined): void {
    this.phase = Phase.Tunnel;
    const server = this.server!;
    unbindClient(this.client);
    unbindServer(server);
    this.clientTimer.disarm();
    this.serverTimer.disarm();
    if (this.clientPaused) {
      this.clientPaused = false;
      this.client.resume();
    }
    if (this.serverPaused) {
      this.serverPaused = false;
      server.resume();
    }
    // Bytes the client sent after its upgrade request belong to the new protocol.
    const toServer = this.pending;
    this.pending = undefined;
    this.tunnel = startTunnel(this.client, server, tunnelTimeouts(this.ctx, this.ps.frontend, this.be!), this.onTunnelEnd, {
      toServer, toClient: rest, clientEnded: this.clientEnded,
    });
  }

  /** Both sockets of the tunnel are closed: the connection is over. */
  private tunnelEnded(end: TunnelEnd): void {
    this.tunnel = undefined;
    this.bytesIn += end.bytesIn;
    this.bytesOut += end.bytesOut;
    const conn = this.conn;
    this.conn = undefined;
    this.server = undefined;
    if (conn) this.ctx.upstreams.release(conn, false);
    this.clientClose();
  }

  // ---- safety ------------------------------------------------------------------------------

  /** An unexpected exception: logged, and this connection only is closed. */
  crash(e: unknown): void {
    process.stderr.write(`haplo run: internal error on a client connection, closing it: ${(e as Error)?.stack ?? String(e)}\n`);
    this.phase = Phase.Closed;
    this.client.destroy();
  }
}


function headerValue(headers: readonly (readonly [string, string])[], lowerName: string): string | undefined {
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i]!;
    if (h[0].length === lowerName.length && h[0].toLowerCase() === lowerName) return h[1];
  }
  return undefined;
}

function saysClose(headers: readonly (readonly [string, string])[]): boolean {
  const v = headerValue(headers, 'connection');
  return v !== undefined && v.toLowerCase().includes('close');
}
