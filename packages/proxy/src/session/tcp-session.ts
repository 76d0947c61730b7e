// A `mode tcp` client connection: the simulator's PipelineSession decides, this file only moves
// bytes and keeps time. Steps, as HAProxy 2.6 runs them:
//  1. accept(): tcp-request connection/session rules; a close closes at once.
//  2. inspection: begin() a stream whose request buffer is the client's bytes so far; request()
//     runs tcp-request content rules (frontend, then backend). While it says `wait`, bytes are
//     read into the buffer (bounded by tune.bufsize - tune.maxrewrite) and request() runs again
//     on each arrival; when `tcp-request inspect-delay` runs out (or is 0, or the client shuts
//     its write, or the buffer is full) expire() makes the rules decide on what is there. With
//     no content rule nothing waits: the server is chosen before any byte is read, so
//     server-speaks-first protocols work.
//  3. close / reply (HTTP-only answers have no meaning here) → the client is closed.
//     queue → wait for a slot (upstreams.enqueue), then select() again.
//     forward → upstreams.connect(); a failure closes the client (HAProxy's TCP mode); else the
//     inspected bytes go first and a tunnel pumps both ways (./tunnel.ts).
//  4. end({bytesIn, bytesOut}) once both sides are done, then the server slot is given back.
// `timeout client` runs from the start (inspection, queue and connect included, as HAProxy's
// client read timeout does); the tunnel then takes over the timers.
import type { Socket } from 'node:net';
import { PipelineSession, type CompiledProxy, type RequestStep } from '@haplo/sim';
import { originOf, type ClientOrigin, type ClientSession } from '../process/client-session.js';
import type { Cancel, ProxyContext, UpstreamConnection, UpstreamFailure } from '../process/types.js';
import type { FrontendLogger, StreamLogRecord } from '../log/index.js';
import { InspectBuffer } from './tcp-inspect-buffer.js';
import { tunnelTimeouts } from './tcp-timeouts.js';
import { startTunnel, type Tunnel, type TunnelEnd } from './tunnel.js';

/** Serves one accepted client connection of a `mode tcp` frontend. */
export function serveTcp(socket: Socket, frontend: CompiledProxy, cx: ProxyContext): void {
  startTcpSession(cx, frontend, socket, originOf(socket), NOTHING);
}

/** The same, as the process's SessionFactory: `closed` runs once when the connection is over. */
export function startTcpSession(cx: ProxyContext, frontend: CompiledProxy, socket: Socket, origin: ClientOrigin, closed: () => void): ClientSession {
  const s = new TcpSession(cx, frontend, socket, origin, closed);
  s.start();
  return s;
}

const NOTHING = (): void => {};
/** Node timers overflow past 2^31-1 ms. */
const MAX_TIMER = 0x7fffffff;
const EMPTY = new Uint8Array(0);
const NO_HEADERS: readonly (readonly [string, string])[] = [];

type State = 'inspecting' | 'queued' | 'connecting' | 'tunnel' | 'done';

class TcpSession implements ClientSession {
  private readonly session: PipelineSession;
  private state: State = 'inspecting';
  private buffer: InspectBuffer | undefined;
  private clientEnded = false;
  private inspectTimer: NodeJS.Timeout | undefined;
  /** The proxy whose inspect-delay the timer runs for (frontend, then backend). */
  private inspecting: CompiledProxy | undefined;
  private cancel: Cancel | undefined;
  private backend: CompiledProxy | undefined;
  private conn: UpstreamConnection | undefined;
  private tunnel: Tunnel | undefined;
  private bytesIn = 0;
  /** The frontend's logger and this connection's record, only when it logs streams. */
  private readonly logger: FrontendLogger | undefined;
  private readonly rec: StreamLogRecord | undefined;
  private logged = false;

  constructor(
    private readonly cx: ProxyContext,
    private readonly frontend: CompiledProxy,
    private readonly socket: Socket,
    origin: ClientOrigin,
    private readonly closed: () => void,
  ) {
    this.session = new PipelineSession(cx.pipeline, cx.runtime, {
      frontend, src: origin.src, srcPort: origin.srcPort, dst: origin.dst, dstPort: origin.dstPort, tls: origin.tls, trace: false, queueing: true,
    });
    const logger = cx.logging?.frontend(frontend.name);
    if (logger?.enabled) {
      this.logger = logger;
      if (logger.hasFormat) this.rec = logger.record({ http: false });
    }
  }

  start(): void {
    const socket = this.socket;
    socket.allowHalfOpen = true;
    socket.on('error', this.onClientError);
    socket.on('close', this.onClientClose);
    if (socket.destroyed) return this.finish();
    const accepted = this.guard(() => this.session.accept());
    if (!accepted || accepted.kind === 'close') return this.closeClient();
    // Without a log format HAProxy logs the accept ("Connect from"), not the stream.
    if (this.logger && !this.rec) this.logger.connected(this.session.ctx);
    const fe = this.cx.settings(this.frontend);
    const client = fe.timeouts.client ?? 0;
    if (client > 0) {
      socket.on('timeout', this.onClientTimeout);
      socket.setTimeout(Math.min(client, MAX_TIMER));
    }
    this.session.begin({ method: '', uri: '', version: '', headers: NO_HEADERS, body: EMPTY, bodyComplete: false });
    this.decide();
  }

  abort(): void {
    if (this.state === 'done') return;
    if (this.tunnel) return this.tunnel.abort();
    this.closeClient();
  }

  /** Runs the request side until it stops waiting, and acts on the answer. */
  private decide(): void {
    const step = this.guard(() => this.step());
    if (!step) return this.closeClient();
    switch (step.kind) {
      case 'wait':
        return this.waitForData();
      case 'forward':
        return this.connect(step.backend, step.server);
      case 'queue':
        return this.enqueue(step.backend);
      default:
        // close, or an HTTP answer (no backend, no server: 503), which TCP mode cannot send.
        this.rec?.terminate(step.kind === 'close' ? 'proxy' : 'server');
        return this.closeClient();
    }
  }

  /** request(), expiring at once when the proxy whose rules wait has no inspect-delay. */
  private step(): RequestStep {
    let step = this.session.request();
    if (step.kind === 'wait') {
      const proxy = this.session.backend ?? this.frontend;
      if (proxy !== this.inspecting) {
        this.clearInspectTimer();
        this.inspecting = proxy;
        const delay = this.cx.settings(proxy).inspectDelay;
        if (delay > 0 && !this.clientEnded && !this.buffer?.full) this.inspectTimer = setTimeout(this.onInspectExpired, Math.min(delay, MAX_TIMER));
        else {
          this.session.expire();
          step = this.session.request();
        }
      }
    }
    return step;
  }

  private waitForData(): void {
    if (this.buffer) return; // already reading
    this.buffer = new InspectBuffer(Math.max(1, this.cx.global.bufsize - this.cx.global.maxrewrite));
    this.socket.on('data', this.onInspectData);
    this.socket.on('end', this.onInspectEnd);
    this.socket.resume();
  }

  private readonly onInspectData = (chunk: Buffer): void => {
    if (this.state !== 'inspecting') return;
    const buffer = this.buffer!;
    this.bytesIn += chunk.length;
    buffer.append(chunk);
    this.session.update(buffer.view(), false);
    // A full buffer is final for the rules (channel_full in HAProxy); stop reading meanwhile.
    if (buffer.full) {
      this.socket.pause();
      this.session.expire();
    }
    this.decide();
  };

  private readonly onInspectEnd = (): void => {
    if (this.state !== 'inspecting') return;
    this.clientEnded = true;
    this.session.update(this.buffer!.view(), true);
    this.session.expire();
    this.decide();
  };

  private readonly onInspectExpired = (): void => {
    this.inspectTimer = undefined;
    if (this.state !== 'inspecting') return;
    this.session.expire();
    this.decide();
  };

  private stopInspecting(): void {
    this.clearInspectTimer();
    if (!this.buffer) return;
    this.socket.removeListener('data', this.onInspectData);
    this.socket.removeListener('end', this.onInspectEnd);
    this.socket.pause();
  }

  private enqueue(backend: CompiledProxy): void {
    this.stopInspecting();
    this.state = 'queued';
    this.backend = backend;
    this.rec?.mark('queued');
    this.cancel = this.cx.upstreams.enqueue(backend.name, this.onSlot);
  }

  private readonly onSlot = (slot: boolean): void => {
    if (this.state !== 'queued') return;
    this.cancel = undefined;
    if (!slot) {
      // timeout queue: TCP mode just closes
      this.rec?.terminate('server-timeout', 'queue');
      return this.closeClient();
    }
    this.decideAfterQueue();
  };

  private decideAfterQueue(): void {
    const step = this.guard(() => this.session.select());
    if (!step) return this.closeClient();
    if (step.kind === 'forward') return this.connect(step.backend, step.server);
    if (step.kind === 'queue') return this.enqueue(step.backend);
    this.closeClient();
  }

  private connect(backend: CompiledProxy, server: string): void {
    this.stopInspecting();
    this.state = 'connecting';
    this.backend = backend;
    this.rec?.mark('queue');
    const cancel = this.cx.upstreams.connect(backend.name, server, this.redispatch, this.onConnected);
    // done may already have run (a pooled connection handed over synchronously).
    if (this.state === 'connecting') this.cancel = cancel;
  }

  private readonly redispatch = (): string | undefined => this.guard(() => this.session.redispatch());

  private readonly onConnected = (err: UpstreamFailure | undefined, conn?: UpstreamConnection): void => {
    this.cancel = undefined;
    if (this.state !== 'connecting') {
      if (conn) this.cx.upstreams.release(conn, false);
      return;
    }
    if (err || !conn) {
      this.rec?.terminate(err?.kind === 'timeout' ? 'server-timeout' : 'server', 'connect');
      return this.closeClient();
    }
    this.conn = conn;
    const rec = this.rec;
    if (rec) {
      const s = conn.socket;
      rec.mark('connected');
      rec.serverConnection = { src: plain(s.localAddress), srcPort: s.localPort ?? 0, dst: plain(s.remoteAddress), dstPort: s.remotePort ?? 0 };
      if (this.logger!.early) this.emitLog();
    }
    this.state = 'tunnel';
    const socket = this.socket;
    socket.removeListener('timeout', this.onClientTimeout);
    socket.removeListener('close', this.onClientClose);
    socket.setTimeout(0);
    this.tunnel = startTunnel(socket, conn.socket, tunnelTimeouts(this.cx, this.frontend, this.backend!), this.onTunnelEnd, {
      toServer: this.buffer?.all(),
      clientEnded: this.clientEnded,
    });
  };

  private readonly onTunnelEnd = (end: TunnelEnd): void => {
    this.bytesIn = end.bytesIn;
    const rec = this.rec;
    if (rec) {
      if (end.reason === 'client-timeout') rec.terminate('client-timeout', 'data');
      else if (end.reason === 'server-timeout') rec.terminate('server-timeout', 'data');
      else if (end.reason === 'client-error') rec.terminate('client', 'data');
      else if (end.reason === 'server-error') rec.terminate('server', 'data');
      else if (end.reason === 'aborted') rec.terminate('killed', 'data');
    }
    this.finish(end.bytesOut);
  };

  private readonly onClientError = (): void => {
    // 'close' follows and ends the session; a reset is never fatal to the process.
  };

  private readonly onClientClose = (): void => {
    if (this.state === 'done' || this.state === 'tunnel') return;
    this.rec?.terminate('client');
    this.finish();
  };

  private readonly onClientTimeout = (): void => {
    if (this.state === 'done' || this.state === 'tunnel') return;
    this.rec?.terminate('client-timeout');
    this.closeClient();
  };

  private closeClient(): void {
    if (this.state === 'done') return;
    if (!this.socket.destroyed) this.socket.destroy();
    this.finish();
  }

  /** The connection is over: counts it, gives back the server slot, tells the process. */
  private finish(bytesOut = 0): void {
    if (this.state === 'done') return;
    this.state = 'done';
    this.clearInspectTimer();
    if (this.cancel) {
      const cancel = this.cancel;
      this.cancel = undefined;
      cancel();
    }
    if (!this.socket.destroyed && !this.tunnel) this.socket.destroy();
    this.socket.setTimeout(0);
    this.guard(() => this.session.end({ bytesIn: this.bytesIn, bytesOut }));
    if (this.conn) this.cx.upstreams.release(this.conn, false);
    // The stream held a slot of its backend only once a server was chosen.
    if (this.backend && this.session.ctx.server !== undefined) this.cx.upstreams.slotFreed(this.backend.name);
    const rec = this.rec;
    if (rec) {
      rec.bytesIn = this.bytesIn;
      rec.bytesOut = bytesOut;
      rec.mark('end');
      this.emitLog();
    }
    this.closed();
  }

  /** Sends the connection's log line once (at the end, or at connect with option logasap). */
  private emitLog(): void {
    if (this.logged) return;
    this.logged = true;
    this.guard(() => this.logger!.emit(this.rec!, this.session.ctx));
  }

  private clearInspectTimer(): void {
    if (this.inspectTimer) {
      clearTimeout(this.inspectTimer);
      this.inspectTimer = undefined;
    }
  }

  /** Runs a pipeline call; an exception (a bug) ends this connection only. */
  private guard<T>(f: () => T): T | undefined {
    try {
      return f();
    } catch {
      return undefined;
    }
  }
}

function plain(a: string | undefined): string {
  if (!a) return '127.0.0.1';
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}
