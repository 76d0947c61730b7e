// The running `haplo run` process: the current configuration (a "generation": pipeline, Runtime,
// upstreams, services — generation.ts), its listeners (listener-set.ts), the maxconn gate and
// the live sessions. `start()` binds every `bind`; `stop()` closes everything at once (SIGTERM);
// `softStop()` stops accepting and lets the requests in flight finish (SIGUSR1); `reload()` puts
// a new configuration in place (SIGHUP): new connections start on it at once, running sessions
// finish their request on the generation they started on, then an idle HTTP connection moves to
// the new generation (handed over, never closed: a keep-alive client sees no error).
import type { Socket } from 'node:net';
import type { CompiledProxy } from '@haplo/sim';
import type { LoadedConfig } from '../config/load-config.js';
import { bindAddresses, formatAddress, type ListenAddress } from '../listen/bind-addresses.js';
import { ClientIntake } from '../listen/client-intake.js';
import { ConnectionGate } from '../listen/connection-gate.js';
import { originOf, type ClientOrigin, type ClientSession, type SessionFactory } from './client-session.js';
import { createContext, type UpstreamsFactory } from './context.js';
import { Generation } from './generation.js';
import { ListenerSet, type ListenerInfo } from './listener-set.js';
import { carryState } from './state-carry.js';
import { hardStopAfter } from './stop-settings.js';
import type { ProxyContext } from './types.js';

export type { ListenerInfo } from './listener-set.js';

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

/** What a reload changed. */
export interface ReloadResult {
  generation: number;
  opened: ListenerInfo[];
  closed: ListenerInfo[];
  /** Stick tables and `backend/server` states taken over from the previous generation. */
  carried: { tables: string[]; servers: string[] };
}

/** Where a session came from: enough to start its connection again on the next generation. */
interface Placement {
  address: ListenAddress;
  origin: ClientOrigin;
  mode: 'http' | 'tcp';
}

export class ProxyProcess {
  private generation: Generation;
  /** Generations replaced by a reload whose sessions have not all ended yet. */
  private readonly retired = new Set<Generation>();
  private readonly placements = new WeakMap<ClientSession, Placement>();
  /** Per generation: PROXY header and TLS handshake before a session starts (listen/client-intake.ts). */
  private readonly intakes = new WeakMap<Generation, ClientIntake>();
  private readonly listeners: ListenerSet;
  private readonly gate: ConnectionGate;
  private readonly log: (line: string) => void;
  private state: 'running' | 'stopping' | 'stopped' = 'running';
  private generations = 0;
  /** Reloads run one after the other. */
  private reloading: Promise<unknown> = Promise.resolve();

  constructor(config: LoadedConfig, private readonly options: ProxyProcessOptions) {
    this.log = options.log ?? ((line) => void process.stderr.write(`${line}\n`));
    this.generation = this.newGeneration(config);
    this.gate = new ConnectionGate(this.generation.ctx.global.maxconn);
    this.listeners = new ListenerSet((socket, address) => this.accepted(socket, address));
    this.applyLimits();
  }

  /** The context new connections run with. */
  get context(): ProxyContext {
    return this.generation.ctx;
  }

  /** The current generation's number: 1 at start, +1 per reload. */
  get generationId(): number {
    return this.generation.id;
  }

  /** Connections being served now, and those waiting for a maxconn slot. */
  get connections(): { active: number; waiting: number } {
    return { active: this.gate.current, waiting: this.gate.queued };
  }

  /** Binds every listener; on any failure closes those already bound and rejects. */
  async start(): Promise<ListenerInfo[]> {
    try {
      await this.listeners.update(this.listenAddresses(this.generation), this.backlog());
    } catch (e) {
      await this.stop();
      throw e;
    }
    this.generation.startServices();
    return this.listeners.infos();
  }

  /**
   * Puts a new configuration in place. Checked before anything changes: a frontend mode or a
   * bind this build cannot serve, or a new address that cannot be bound, rejects and the current
   * configuration keeps serving untouched. Addresses in both configurations keep their socket.
   */
  reload(config: LoadedConfig): Promise<ReloadResult> {
    const run = this.reloading.then(() => this.reloadNow(config));
    this.reloading = run.catch(() => undefined);
    return run;
  }

  /** Stops listening, drops every connection, closes pooled upstream connections. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    const closing = this.listeners.closeAll();
    this.gate.dropWaiting();
    for (const g of [this.generation, ...this.retired]) {
      g.abort();
      g.stopServices();
    }
    await closing;
  }

  /**
   * Soft stop (HAProxy's SIGUSR1): stops listening at once; idle connections close, busy ones
   * finish their request (its response says `connection: close`), tunnels and TCP sessions run
   * until they end; `hard-stop-after` bounds the wait. Resolves once nothing is left.
   */
  async softStop(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopping';
    const closing = this.listeners.closeAll();
    this.gate.dropWaiting();
    const all = [this.generation, ...this.retired];
    await Promise.all(all.map((g) => g.retire(undefined)));
    for (const g of all) g.stopServices();
    this.state = 'stopped';
    await closing;
  }

  /** Sessions still running on generations replaced by a reload. */
  get retiredSessions(): number {
    let n = 0;
    for (const g of this.retired) n += g.sessions.size;
    return n;
  }

  private async reloadNow(config: LoadedConfig): Promise<ReloadResult> {
    if (this.state !== 'running') throw new Error('the proxy is stopping');
    const next = this.newGeneration(config);
    const old = this.generation;
    let carried: ReloadResult['carried'] = { tables: [], servers: [] };
    let changes: { opened: ListenerInfo[]; closed: ListenerInfo[] };
    try {
      changes = await this.listeners.update(this.listenAddresses(next), this.backlog(next), () => {
        carried = carryState(next.ctx, old.ctx);
        this.generation = next;
        this.applyLimits();
      });
    } catch (e) {
      next.abort();
      this.generations--;
      throw e;
    }
    old.stopServices();
    next.startServices();
    this.retired.add(old);
    void old.retire((socket, from) => this.handOver(socket, from)).then(() => this.retired.delete(old));
    return { generation: next.id, ...changes, carried };
  }

  private newGeneration(config: LoadedConfig): Generation {
    const frontends = new Map<string, CompiledProxy>();
    for (const fe of config.pipeline.frontends) if (!frontends.has(fe.name)) frontends.set(fe.name, fe);
    const ctx = createContext(config, this.options.upstreams);
    // What HAProxy would warn about its log settings (option httplog in a tcp frontend…).
    for (const w of ctx.logging?.warnings ?? []) this.log(`[WARNING] ${w}`);
    for (const fe of frontends.values()) {
      const mode = ctx.settings(fe).mode;
      if (!this.options.sessions[mode]) {
        ctx.upstreams.close();
        throw new Error(`frontend '${fe.name}': mode ${mode} is not supported by this build of haplo run`);
      }
    }
    const services = (this.options.services ?? []).map((make) => make(ctx));
    return new Generation(++this.generations, ctx, frontends, services, hardStopAfter(config.model), this.log);
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

  private backlog(g: Generation = this.generation): number {
    return Math.max(g.ctx.global.maxconn, 1024);
  }

  private applyLimits(): void {
    const ctx = this.generation.ctx;
    this.gate.setGlobalLimit(ctx.global.maxconn);
    for (const fe of this.generation.frontends.values()) this.gate.setLimit(fe.name, ctx.settings(fe).maxconn);
  }

  private accepted(socket: Socket, address: ListenAddress): void {
    if (this.state !== 'running') {
      socket.destroy();
      return;
    }
    // A reset before the session attaches its own handler must not throw.
    socket.on('error', ignore);
    this.gate.admit(socket, address.frontend, (s) => this.startSession(s, address));
  }

  /**
   * An idle HTTP connection of a retired generation, between two requests: it goes on with the
   * current generation and keeps its maxconn slot. With nowhere to go (the process is stopping,
   * its frontend is gone or changed mode) it is closed as a soft stop would.
   */
  private handOver(socket: Socket, from: ClientSession): void {
    const placed = this.placements.get(from);
    for (const g of this.retired) if (g.sessions.has(from)) g.sessionEnded(from);
    if (!placed) {
      socket.destroy();
      return;
    }
    const fe = this.generation.frontends.get(placed.address.frontend);
    if (this.state !== 'running' || !fe || this.generation.ctx.settings(fe).mode !== placed.mode || socket.destroyed) {
      socket.destroySoon();
      this.gate.release(placed.address.frontend);
      return;
    }
    dedupeErrorListeners(socket);
    this.startSession(socket, placed.address, placed.origin);
  }

  private startSession(socket: Socket, address: ListenAddress, handedOver?: ClientOrigin): void {
    const origin = handedOver ?? originOf(socket);
    const g = this.generation;
    const fe = g.frontends.get(address.frontend);
    if (!fe || socket.destroyed) {
      socket.destroy();
      this.gate.release(address.frontend);
      return;
    }
    const mode = g.ctx.settings(fe).mode;
    const factory = this.options.sessions[mode]!;
    let session: ClientSession | undefined;
    let ended = false;
    const closed = (): void => {
      if (ended) return;
      ended = true;
      if (session) g.sessionEnded(session);
      this.gate.release(address.frontend);
    };
    try {
      const intake = this.intakeOf(g);
      session = handedOver ? intake.resume(factory, fe, socket, origin, closed) : intake.start(factory, fe, socket, address.bind, origin, closed);
      if (!ended) {
        g.sessions.add(session);
        this.placements.set(session, { address, origin, mode });
      }
    } catch (e) {
      this.log(`haplo run: session on ${formatAddress(address.host, address.port, address.kind)} failed to start: ${(e as Error).stack ?? e}`);
      socket.destroy();
      closed();
    }
  }

  private intakeOf(g: Generation): ClientIntake {
    let intake = this.intakes.get(g);
    if (!intake) this.intakes.set(g, (intake = new ClientIntake(g.ctx, this.log)));
    return intake;
  }
}

function ignore(): void {}

/** Every session adds the same shared error handler: one copy of each is enough across hand-overs. */
function dedupeErrorListeners(socket: Socket): void {
  const seen = new Set<unknown>();
  for (const f of socket.rawListeners('error')) {
    if (seen.has(f)) socket.off('error', f as (...args: unknown[]) => void);
    else seen.add(f);
  }
}
