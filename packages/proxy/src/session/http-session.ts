// One client connection in `mode http`. It moves bytes and keeps time; every decision (rules,
// backend, server, HAProxy's own answers) comes from the simulator's PipelineSession, driven
// step by step: accept → per request begin → request → forward|reply|queue|close → response →
// end. Requests on a connection are served one at a time, in order (pipelined ones wait in the
// request buffer); bodies stream through with bounded buffers and backpressure on both sockets.
//
// This file holds the session's state, the socket and timer entry points and the dispatch of
// the pipeline's request steps. The work lives beside it, as plain functions taking the session
// (no closure per request): http-request-read.ts (request heads, http-buffer-request, client
// timeouts), http-forward.ts (server connection, request head and body), http-response-relay.ts
// (response head and body), http-upgrade-tunnel.ts (after a 101 or a CONNECT), http-exchange-end.ts
// (HAProxy's own replies, the end of an exchange and of a stream, keep-alive), http-retire.ts
// (soft stop, reload, hard-stop-after). Their helpers: request-buffer.ts (bytes not used yet),
// server-connection.ts (which server connection a request takes: http-reuse safe), the heads
// written (@haplo/sim's forwarded-head.ts, shared with `haplo sim`), body-relay.ts (bodies),
// http-replies.ts (writing HAProxy's answers), tunnel.ts (the byte pump), http-stream-log.ts
// (the log record, only when the frontend logs), socket-events.ts (handlers).
//
// Memory: a server connection is held only while an exchange is in flight, then goes back to
// the server's shared pool; between requests an idle client holds its socket, this object and
// the pipeline session (no stream context) — no Buffer, no body relay, no server socket, no
// Node timer (deadline-queue.ts).
//
// Timers follow HAProxy 2.6 as observed: `timeout http-request` from the accept (or from the
// first byte of a keep-alive request) → 408 and close; `timeout http-keep-alive` between
// requests → silent close; `timeout client` while the client is expected to send (a body) or
// to read (a blocked write); `timeout server` while waiting for the server → 504 before the
// response head, an aborted connection after; `timeout tunnel` after a 101.
import type { Socket } from 'node:net';
import { PipelineSession, type CompiledProxy, type RequestStep } from '@haplo/sim';
import type { HeadLimits, RequestHead, ResponseHead } from '../http/types.js';
import type { FrontendLogger } from '../log/index.js';
import type { ClientOrigin, ClientSession, SessionFactory } from '../process/client-session.js';
import type { Cancel, GlobalSettings, ProxyContext, ProxySettings, UpstreamConnection, UpstreamFailure } from '../process/types.js';
import { serveService } from '../stats/serve.js';
import type { BodyRelay } from './body-relay.js';
import { Deadline, type DeadlineOwner } from './deadline.js';
import { connect, dropServer, forwardRequestBody, slotGiven } from './http-forward.js';
import { endStream, logAbort, logOutcome, sendReply } from './http-exchange-end.js';
import { ClientWait, Phase } from './http-phase.js';
import { bufferBody, onClientTimeout, readHeads, stash } from './http-request-read.js';
import { onServerTimeout, responseData, serverGone } from './http-response-relay.js';
import { hardStopSession, retireSession } from './http-retire.js';
import { HttpStreamLog } from './http-stream-log.js';
import { RequestBuffer } from './request-buffer.js';
import { bindClient, type SocketOwner } from './socket-events.js';
import type { Tunnel } from './tunnel.js';

/** One HeadLimits per configuration, shared by its sessions. */
const headLimits = new WeakMap<GlobalSettings, HeadLimits>();

function headLimitsOf(g: GlobalSettings): HeadLimits {
  let l = headLimits.get(g);
  if (!l) headLimits.set(g, (l = { maxHeadBytes: g.bufsize - g.maxrewrite, maxHeaders: g.maxHeaders }));
  return l;
}

export const startHttpSession: SessionFactory = (ctx, frontend, socket, origin, closed) =>
  new HttpSession(ctx, frontend, socket, origin, closed);

/**
 * The session's state is open to its http-* parts in this folder (they are its methods, moved
 * out as plain functions); nothing else reads it.
 */
export class HttpSession implements ClientSession, SocketOwner, DeadlineOwner {
  readonly ps: PipelineSession;
  readonly fes: ProxySettings;
  readonly limits: HeadLimits;
  readonly bufsize: number;
  /** The frontend's logger (captures feed fetches even without log targets). */
  readonly logger: FrontendLogger | undefined;
  /** The current stream's log record: only when the frontend logs streams. */
  readonly log: HttpStreamLog | undefined;
  phase = Phase.Head;
  /** Client bytes read but not yet used (a partial head, pipelined requests, an early body). */
  readonly input = new RequestBuffer();
  head: RequestHead | undefined;
  be: CompiledProxy | undefined;
  bes: ProxySettings | undefined;
  conn: UpstreamConnection | undefined;
  server: Socket | undefined;
  cancel: Cancel | undefined;
  // Made on the first request that has a body / the first response (an idle client has neither).
  reqBody: BodyRelay | undefined;
  resBody: BodyRelay | undefined;
  resHead: ResponseHead | undefined;
  /** Server bytes read before the response head was complete. */
  serverPending: Buffer | undefined;
  /** begin() ran and end() has not. */
  inStream = false;
  /** The stream was given a server slot (beginConnection): free it at the end. */
  holdsSlot = false;
  /** A request of this connection was served before (http-reuse safe: later ones may share). */
  notFirst = false;
  reqDone = true;
  resDone = true;
  /** The exchange's server connection is closed after it (http-server-close, httpclose). */
  serverCloses = false;
  /** Close the client connection once this exchange is over. */
  closeAfter = false;
  clientEnded = false;
  serverEnded = false;
  /** The server sent bytes after its response or the exchange broke: do not pool the connection. */
  serverDirty = false;
  /** A pooled connection already failed once for this request. */
  retriedStale = false;
  clientPaused = false;
  serverPaused = false;
  connectSettled = false;
  /** The exchange's connection came from the pool: the server may have closed it meanwhile. */
  connReused = false;
  bytesIn = 0;
  bytesOut = 0;
  clientWait = ClientWait.None;
  reading = false;
  readAgain = false;
  finished = false;
  readonly clientTimer: Deadline;
  serverTimer: Deadline | undefined;
  /** After a 101: the tunnel that owns both sockets. */
  tunnel: Tunnel | undefined;
  /** Set by retire(): where the connection goes once idle (`null`: closed, a soft stop). */
  retiring: ((socket: Socket) => void) | null | undefined;
  // Callbacks handed to the upstream layer, made on first use.
  onConnected: ((err: UpstreamFailure | undefined, conn?: UpstreamConnection) => void) | undefined;
  onSlot: ((slot: boolean) => void) | undefined;
  redispatch: (() => string | undefined) | undefined;

  constructor(
    readonly ctx: ProxyContext,
    frontend: CompiledProxy,
    readonly client: Socket,
    origin: ClientOrigin,
    readonly closed: () => void,
  ) {
    this.fes = ctx.settings(frontend);
    const g = ctx.global;
    this.bufsize = g.bufsize;
    this.limits = headLimitsOf(g);
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

  // ---- the process: stop, reload (http-retire.ts) -------------------------------------------

  /** The process stops: drop the connection now. */
  abort(): void {
    if (this.tunnel) this.tunnel.abort();
    else this.client.destroy();
  }

  hardStop(): void {
    hardStopSession(this);
  }

  retire(handOver?: (socket: Socket) => void): void {
    retireSession(this, handOver);
  }

  // ---- client socket events ----------------------------------------------------------------

  clientData(chunk: Buffer): void {
    switch (this.phase) {
      case Phase.Head:
        if (this.log && this.input.length === 0) this.log.requestStart();
        this.input.append(chunk);
        if (this.clientWait === ClientWait.KeepAlive) this.waitClient(ClientWait.Request, this.fes.timeouts.httpRequest);
        readHeads(this);
        return;
      case Phase.Exchange:
        if (!this.reqDone && this.server) forwardRequestBody(this, chunk);
        else stash(this, chunk);
        return;
      case Phase.Buffering:
        this.input.append(chunk);
        bufferBody(this);
        return;
      case Phase.Closed:
        return;
      default:
        stash(this, chunk);
    }
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
    dropServer(this);
    if (this.log) logAbort(this, phase);
    endStream(this);
    this.clientTimer.dispose();
    this.serverTimer?.dispose();
    this.input.take();
    this.closed();
  }

  // ---- server socket events: only the exchange's own socket is bound to us ------------------

  serverData(socket: Socket, chunk: Buffer): void {
    if (socket === this.server) responseData(this, chunk);
  }

  serverEnd(socket: Socket): void {
    if (socket === this.server) serverGone(this);
  }

  serverClose(socket: Socket): void {
    if (socket === this.server) serverGone(this);
  }

  serverDrain(socket: Socket): void {
    if (socket !== this.server) return;
    this.serverTimer?.touch();
    if (this.clientPaused && this.phase !== Phase.Head) this.resumeClient();
  }

  // ---- timers ------------------------------------------------------------------------------

  deadlineExpired(which: Deadline): void {
    try {
      if (which === this.clientTimer) onClientTimeout(this);
      else onServerTimeout(this);
    } catch (e) {
      this.crash(e);
    }
  }

  waitClient(wait: ClientWait, ms: number | undefined): void {
    this.clientWait = ms ? wait : ClientWait.None;
    this.clientTimer.arm(ms);
  }

  pauseClient(): void {
    if (this.clientPaused) return;
    this.clientPaused = true;
    this.client.pause();
  }

  resumeClient(): void {
    if (!this.clientPaused) return;
    this.clientPaused = false;
    this.client.resume();
  }

  // ---- decisions ---------------------------------------------------------------------------

  decide(step: RequestStep): void {
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
        if (this.log) logOutcome(this, step.outcome);
        sendReply(this, step.reply);
        return;
      case 'service':
        // The stats page or a `use-service` applet answers: rendered here, finished by the sim.
        if (this.log) logOutcome(this, step.outcome);
        sendReply(this, this.ps.serviceReply(serveService(this.ctx, step, this.ps.ctx)));
        return;
      case 'queue':
        this.phase = Phase.Connecting;
        this.be = step.backend;
        this.connectSettled = false;
        this.log?.queued();
        {
          const c = this.ctx.upstreams.enqueue(step.backend.name, (this.onSlot ??= (slot) => this.guarded(() => slotGiven(this, slot))));
          if (!this.connectSettled) this.cancel = c;
        }
        return;
      case 'forward':
        this.phase = Phase.Connecting;
        this.be = step.backend;
        this.bes = this.ctx.settings(step.backend);
        this.holdsSlot = true;
        this.log?.connecting();
        connect(this, step.server);
        return;
    }
  }

  // ---- safety ------------------------------------------------------------------------------

  guarded(f: () => void): void {
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
