// The running `haplo run` process: one loaded configuration (a "generation": pipeline, Runtime,
// upstreams), its listeners, the maxconn gate and the live sessions. `start()` binds every
// `bind`, `stop()` closes everything. New connections always start on the current generation,
// so a reload (issue 6) only has to `swap()` in a new one; running sessions keep theirs.
import type { Socket } from 'node:net';
import type { CompiledProxy } from '@haplo/sim';
import type { LoadedConfig } from '../config/load-config.js';
import { bindAddresses, formatAddress, type ListenAddress } from '../listen/bind-addresses.js';
import { ConnectionGate } from '../listen/connection-gate.js';
import { Listener } from '../listen/listener.js';
import { originOf, type ClientSession, type SessionFactory } from './client-session.js';
import { createContext, type UpstreamsFactory } from './context.js';
import type { ProxyContext } from './types.js';

/** Something that runs beside the listeners for a generation: health checks, stats, logging. */
export interface ProcessService {
  start(ctx: ProxyContext): void;
  stop(): void;
}

export interface ProxyProcessOptions {
  upstreams: UpstreamsFactory;
  /** Sessions by frontend mode; a mode without a factory refuses to start. */
  sessions: { http: SessionFactory; tcp?: SessionFactory };
  /** Built for each generation (health checks…). */
  services?: ((ctx: ProxyContext) => ProcessService)[];
  /** Unexpected errors, one line each (stderr). */
  log?: (line: string) => void;
}

/** One listening socket once bound. */
export interface ListenerInfo {
  frontend: string;
  /** As bound: `127.0.0.1:8080`, `[::]:80`, a socket path. */
  address: string;
  /** As written in the bind line. */
  written: string;
}

interface Generation {
  ctx: ProxyContext;
  frontends: Map<string, CompiledProxy>;
  services: ProcessService[];
}

export class ProxyProcess {
  private generation: Generation;
  private readonly listeners: Listener[] = [];
  private readonly gate: ConnectionGate;
  private readonly sessions = new Set<ClientSession>();
  private readonly log: (line: string) => void;
  private stopped = false;

  constructor(config: LoadedConfig, private readonly options: ProxyProcessOptions) {
    this.log = options.log ?? ((line) => void process.stderr.write(`${line}\n`));
    this.generation = this.newGeneration(config);
    this.gate = new ConnectionGate(this.generation.ctx.global.maxconn);
    this.applyLimits();
  }

  /** The context new connections run with. */
  get context(): ProxyContext {
    return this.generation.ctx;
  }

  /** Connections being served now, and those waiting for a maxconn slot. */
  get connections(): { active: number; waiting: number } {
    return { active: this.gate.current, waiting: this.gate.queued };
  }

  /** Binds every listener; on any failure closes those already bound and rejects. */
  async start(): Promise<ListenerInfo[]> {
    const addresses = this.listenAddresses(this.generation);
    const backlog = Math.max(this.generation.ctx.global.maxconn, 1024);
    try {
      for (const a of addresses) {
        const l = new Listener(a, { connection: (socket, address) => this.accepted(socket, address) });
        this.listeners.push(l);
        await l.listen(backlog);
      }
    } catch (e) {
      await this.stop();
      throw e;
    }
    for (const s of this.generation.services) s.start(this.generation.ctx);
    return this.listeners.map((l) => ({ frontend: l.address.frontend, address: l.bound, written: l.address.text }));
  }

  /**
   * Puts a new configuration in place for new connections (reload). Listeners stay as they
   * are; binding changed addresses is the caller's concern (issue 6).
   */
  swap(config: LoadedConfig): void {
    const old = this.generation;
    this.generation = this.newGeneration(config);
    this.applyLimits();
    for (const s of this.generation.services) s.start(this.generation.ctx);
    for (const s of old.services) s.stop();
  }

  /** Stops listening, drops every connection, closes pooled upstream connections. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all(this.listeners.map((l) => l.close()));
    this.gate.dropWaiting();
    for (const s of [...this.sessions]) s.abort();
    for (const s of this.generation.services) s.stop();
    this.generation.ctx.upstreams.close();
  }

  private newGeneration(config: LoadedConfig): Generation {
    const ctx = createContext(config, this.options.upstreams);
    const frontends = new Map<string, CompiledProxy>();
    for (const fe of config.pipeline.frontends) if (!frontends.has(fe.name)) frontends.set(fe.name, fe);
    for (const fe of frontends.values()) {
      const mode = ctx.settings(fe).mode;
      if (!this.options.sessions[mode]) throw new Error(`frontend '${fe.name}': mode ${mode} is not supported by this build of haplo run`);
    }
    return { ctx, frontends, services: (this.options.services ?? []).map((make) => make(ctx)) };
  }

  private listenAddresses(g: Generation): ListenAddress[] {
    const out: ListenAddress[] = [];
    for (const fe of g.frontends.values()) {
      const r = bindAddresses(fe.model);
      if (!r.ok) throw new Error(r.message);
      out.push(...r.addresses);
    }
    if (out.length === 0) throw new Error('the configuration has no listener (no bind line in any frontend)');
    return out;
  }

  private applyLimits(): void {
    const ctx = this.generation.ctx;
    this.gate.setGlobalLimit(ctx.global.maxconn);
    for (const fe of this.generation.frontends.values()) this.gate.setLimit(fe.name, ctx.settings(fe).maxconn);
  }

  private accepted(socket: Socket, address: ListenAddress): void {
    if (this.stopped) {
      socket.destroy();
      return;
    }
    // A reset before the session attaches its own handler must not throw.
    socket.on('error', ignore);
    this.gate.admit(socket, address.frontend, (s) => this.startSession(s, address));
  }

  private startSession(socket: Socket, address: ListenAddress): void {
    const g = this.generation;
    const fe = g.frontends.get(address.frontend);
    if (!fe || socket.destroyed) {
      socket.destroy();
      this.gate.release(address.frontend);
      return;
    }
    const factory = this.options.sessions[g.ctx.settings(fe).mode]!;
    let session: ClientSession | undefined;
    let ended = false;
    const closed = (): void => {
      if (ended) return;
      ended = true;
      if (session) this.sessions.delete(session);
      this.gate.release(address.frontend);
    };
    try {
      session = factory(g.ctx, fe, socket, originOf(socket), closed);
      if (!ended) this.sessions.add(session);
    } catch (e) {
      this.log(`haplo run: session on ${formatAddress(address.host, address.port, address.kind)} failed to start: ${(e as Error).stack ?? e}`);
      socket.destroy();
      closed();
    }
  }
}

function ignore(): void {}
