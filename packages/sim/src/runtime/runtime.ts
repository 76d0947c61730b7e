// The Runtime: state shared by a sequence of requests — server states and weights, balance
// positions, connection counts, stick tables, and each stream's tracked stick counters — with an
// injected clock. Built once from the parser's Model; the pipeline and the proxy both drive it.
import type { Model, ProxyModel } from '@haplo/parser';
import type { Sample } from '../sample/sample.js';
import { seededRandom, type StreamContext } from '../stream/context.js';
import { createBalancer, type Balancer } from '../selection/balancers.js';
import { balanceConfig, type BalanceConfig } from '../selection/balance-config.js';
import { initialServers, lbUsable, running, type ServerState, type ServerStatus } from './servers.js';
import {
  addData, createStickTable, getOrCreateEntry, lookupEntry, tableKey, touchEntry,
  type StickEntry, type StickTable,
} from './stick-table.js';

export interface BackendState {
  name: string;
  proxy: ProxyModel;
  servers: ServerState[];
  byName: Map<string, ServerState>;
  byId: Map<number, ServerState>;
  balance: BalanceConfig;
  balancer: Balancer;
  allbackups: boolean;
  persist: boolean;
}

/** Where a track-sc rule ran: decides which counters tracking starts (HAProxy's stkctr flags). */
export type TrackOrigin =
  | 'tcp-request connection' | 'tcp-request session' | 'tcp-request content'
  | 'http-request' | 'http-response';

export interface StickCounter {
  table: StickTable;
  entry: StickEntry;
  /** Tracked by a content rule (tcp-request content, http-request/response). */
  content: boolean;
  /** Tracked in a backend (its http-request rules count backend requests separately). */
  backend: boolean;
}

export interface StreamState {
  /** sc0, sc1, sc2. */
  counters: (StickCounter | undefined)[];
  /** Pending stick store entries (table name → key), committed on the response. */
  stores: { table: StickTable; key: { key: string; sample: Sample }; response: boolean }[];
  /** force-persist / ignore-persist decided for this stream. */
  persist?: 'force' | 'ignore';
  persistDone?: boolean;
  /** The last selection's outcome (for the response-side cookie and stick steps). */
  selection?: { server?: string; direct: boolean };
  /** Server whose connection count this stream holds. */
  connection?: { backend: string; server: string };
  ended: boolean;
}

export interface RuntimeOptions {
  /** Milliseconds; defaults to a clock fixed at 0. */
  now?: () => number;
  /** A float in [0, 1) for `balance random`; defaults to a fixed-seed generator. */
  random?: () => number;
}

/** Number of stick counters in HAProxy 2.6 (MAX_SESS_STKCTR). */
export const STICK_COUNTERS = 3;

export interface Runtime {
  now(): number;
  random(): number;
  backends: ReadonlyMap<string, BackendState>;
  tables: ReadonlyMap<string, StickTable>;
  backend(name: string): BackendState | undefined;
  /** The stick table declared by proxy `name`. */
  table(name: string): StickTable | undefined;
  serverState(backend: string, server: string): ServerState | undefined;
  /** Changes a server's status (like `set server be/s state …` or a health check); false when unknown. */
  setServerState(backend: string, server: string, status: ServerStatus): boolean;
  /** Changes a server's weight (like `set weight`); false when unknown. */
  setWeight(backend: string, server: string, weight: number): boolean;
  /** Usable servers of a backend (nbsrv). */
  usableServers(backend: string): number | undefined;
  /** The stream's own state (stick counters, pending stores); created on first use. */
  stream(ctx: StreamContext): StreamState;
  /** A request starts being served by `server`: counts it for leastconn, first and maxconn. */
  beginConnection(ctx: StreamContext, backend: string, server: string): void;
  /** The request held by `ctx` is over: releases its connection slot. */
  endConnection(ctx: StreamContext): void;
  /**
   * track-sc<slot> <key> [table t]: binds the stream's counter to the table entry (created if
   * needed) unless the slot is already tracking; starts conn_cur/conn_cnt/conn_rate and, from an
   * HTTP ruleset, counts the current request. Returns the counter, or undefined when nothing was tracked.
   */
  track(ctx: StreamContext, slot: number, table: string, key: Sample, origin: TrackOrigin, opts?: { backend?: boolean; status?: number }): StickCounter | undefined;
  /** The counter tracked in a slot, if any. */
  tracked(ctx: StreamContext, slot: number): StickCounter | undefined;
  /** One HTTP request received: http_req_cnt/rate on every tracked counter (call once, before http-request rules). */
  countRequest(ctx: StreamContext): void;
  /** A 4xx (client error) response or a denied request: http_err_cnt/rate on every tracked counter. */
  countError(ctx: StreamContext): void;
  /** A 5xx server failure (not 501/505): http_fail_cnt/rate. */
  countFailure(ctx: StreamContext): void;
  /** Bytes transferred: bytes_in (request) and bytes_out (response). */
  countBytes(ctx: StreamContext, bytesIn: number, bytesOut: number): void;
  /**
   * The stream is over: conn_cur of its tracked entries goes down, references are released. With
   * `keepSession`, counters tracked by tcp-request connection/session rules stay (the connection
   * lives on for another request) until `inheritSession` hands them to the next stream.
   */
  endStream(ctx: StreamContext, o?: { keepSession?: boolean }): void;
  /** The next stream of a keep-alive connection takes over the session's tracked counters. */
  inheritSession(previous: StreamContext, next: StreamContext): void;
}

const optionOn = (p: ProxyModel, name: string): boolean => p.options.get(name)?.value === true;

/** Builds the Runtime of a configuration: every backend (and listen) and every stick table. */
export function createRuntime(model: Model, opts: RuntimeOptions = {}): Runtime {
  const now = opts.now ?? (() => 0);
  const random = opts.random ?? seededRandom(0x2545f491);
  const backends = new Map<string, BackendState>();
  const tables = new Map<string, StickTable>();
  for (const p of model.proxies) {
    if (p.stickTable) tables.set(p.name, createStickTable(p.name, p.stickTable));
    if (!p.capabilities.backend) continue;
    const servers = initialServers(p);
    const balance = balanceConfig(p);
    const allbackups = optionOn(p, 'allbackups');
    backends.set(p.name, {
      name: p.name, proxy: p, servers,
      byName: new Map(servers.map((s) => [s.name, s])),
      byId: new Map(servers.map((s) => [s.id, s])),
      balance,
      balancer: createBalancer(balance.lookup, servers, allbackups),
      allbackups,
      persist: optionOn(p, 'persist'),
    });
  }
  // A stream's state sits on its context when the context runs on this Runtime (the pipeline
  // sets `ctx.runtime`): a WeakMap entry per request was garbage and GC work on every request of
  // the proxy. Other contexts (tests, ad-hoc ones) are kept in the map.
  const streams = new WeakMap<StreamContext, StreamState>();
  const peek = (ctx: StreamContext): StreamState | undefined => (ctx.runtime === rt ? ctx.runtimeState : streams.get(ctx));
  const stream = (ctx: StreamContext): StreamState => {
    let s = peek(ctx);
    if (!s) {
      s = { counters: [], stores: [], ended: false };
      if (ctx.runtime === rt) ctx.runtimeState = s;
      else streams.set(ctx, s);
    }
    return s;
  };
  const server = (b: string, s: string) => backends.get(b)?.byName.get(s);
  const eachCounter = (ctx: StreamContext, f: (c: StickCounter) => void) => {
    const st = peek(ctx);
    if (!st) return;
    for (const c of st.counters) if (c) f(c);
  };
  /** Whether the stream tracks any counter: the count calls below then make no closure. */
  const tracking = (ctx: StreamContext): boolean => (peek(ctx)?.counters.length ?? 0) > 0;
  const bump = (c: StickCounter, names: readonly string[], inc = 1) => {
    const t = now();
    let changed = false;
    for (const n of names) changed = addData(c.table, c.entry, n, t, inc) || changed;
    if (changed) touchEntry(c.table, c.entry, t);
  };

  const rt: Runtime = {
    now, random, backends, tables,
    backend: (name) => backends.get(name),
    table: (name) => tables.get(name),
    serverState: server,
    setServerState(b, s, status) {
      const be = backends.get(b);
      const srv = be?.byName.get(s);
      if (!be || !srv) return false;
      if (srv.status !== status) {
        srv.status = status;
        be.balancer.update(srv);
      }
      return true;
    },
    setWeight(b, s, weight) {
      const be = backends.get(b);
      const srv = be?.byName.get(s);
      if (!be || !srv || !Number.isInteger(weight) || weight < 0 || weight > 256) return false;
      if (srv.weight !== weight) {
        srv.weight = weight;
        be.balancer.update(srv);
      }
      return true;
    },
    usableServers(b) {
      const be = backends.get(b);
      if (!be) return undefined;
      const act = be.servers.filter((s) => !s.backup && lbUsable(s)).length;
      return act || be.servers.filter((s) => s.backup && lbUsable(s)).length;
    },
    stream,
    beginConnection(ctx, b, s) {
      const st = stream(ctx);
      if (st.connection) rt.endConnection(ctx);
      const be = backends.get(b);
      const srv = be?.byName.get(s);
      if (!be || !srv) return;
      srv.served++;
      srv.total++;
      st.connection = { backend: b, server: s };
      be.balancer.connectionsChanged(srv);
    },
    endConnection(ctx) {
      const st = peek(ctx);
      const c = st?.connection;
      if (!st || !c) return;
      st.connection = undefined;
      const be = backends.get(c.backend);
      const srv = be?.byName.get(c.server);
      if (!be || !srv) return;
      if (srv.served > 0) srv.served--;
      be.balancer.connectionsChanged(srv);
    },
    track(ctx, slot, tableName, key, origin, o = {}) {
      if (slot < 0 || slot >= STICK_COUNTERS) return undefined;
      const st = stream(ctx);
      if (st.counters[slot]) return undefined;
      const table = tables.get(tableName);
      if (!table) return undefined;
      const k = tableKey(table, key);
      if (!k) return undefined;
      const t = now();
      const entry = getOrCreateEntry(table, k, t);
      if (!entry) return undefined;
      entry.refs++;
      const content = origin !== 'tcp-request connection' && origin !== 'tcp-request session';
      const c: StickCounter = { table, entry, content, backend: o.backend ?? false };
      st.counters[slot] = c;
      // stream_start_counters
      addData(table, entry, 'conn_cur', t);
      addData(table, entry, 'conn_cnt', t);
      addData(table, entry, 'conn_rate', t);
      if (origin === 'tcp-request connection') {
        addData(table, entry, 'sess_cnt', t);
        addData(table, entry, 'sess_rate', t);
      }
      if (origin === 'http-request' || origin === 'http-response') {
        addData(table, entry, 'http_req_cnt', t);
        addData(table, entry, 'http_req_rate', t);
      }
      const status = o.status ?? ctx.response?.status;
      if (origin === 'http-response' && status !== undefined) {
        if (status >= 400 && status < 500) {
          addData(table, entry, 'http_err_cnt', t);
          addData(table, entry, 'http_err_rate', t);
        }
        if (status >= 500 && status < 600 && status !== 501 && status !== 505) {
          addData(table, entry, 'http_fail_cnt', t);
          addData(table, entry, 'http_fail_rate', t);
        }
      }
      touchEntry(table, entry, t);
      return c;
    },
    tracked: (ctx, slot) => peek(ctx)?.counters[slot],
    countRequest: (ctx) => tracking(ctx) && eachCounter(ctx, (c) => bump(c, ['http_req_cnt', 'http_req_rate'])),
    countError: (ctx) => tracking(ctx) && eachCounter(ctx, (c) => bump(c, ['http_err_cnt', 'http_err_rate'])),
    countFailure: (ctx) => tracking(ctx) && eachCounter(ctx, (c) => bump(c, ['http_fail_cnt', 'http_fail_rate'])),
    countBytes(ctx, bytesIn, bytesOut) {
      if (!tracking(ctx)) return;
      eachCounter(ctx, (c) => {
        if (bytesIn) bump(c, ['bytes_in_cnt', 'bytes_in_rate'], bytesIn);
        if (bytesOut) bump(c, ['bytes_out_cnt', 'bytes_out_rate'], bytesOut);
      });
    },
    endStream(ctx, o = {}) {
      const st = peek(ctx);
      if (!st || st.ended) return;
      st.ended = true;
      rt.endConnection(ctx);
      const t = now();
      const kept: (StickCounter | undefined)[] = [];
      for (let slot = 0; slot < st.counters.length; slot++) {
        const c = st.counters[slot];
        if (!c) continue;
        if (o.keepSession && !c.content) {
          kept[slot] = c;
          continue;
        }
        const cur = c.entry.values.get('conn_cur');
        if (cur !== undefined && cur > 0) c.entry.values.set('conn_cur', cur - 1);
        touchEntry(c.table, c.entry, t);
        if (c.entry.refs > 0) c.entry.refs--;
      }
      st.counters = kept;
    },
    inheritSession(previous, next) {
      const prev = peek(previous);
      if (!prev || prev.counters.length === 0) return;
      stream(next).counters = prev.counters;
      prev.counters = [];
    },
  };
  return rt;
}

/** Whether persistence may send traffic to `s` (running, or `option persist`, or force-persist). */
export function persistUsable(be: BackendState, s: ServerState, force: boolean): boolean {
  return running(s) || be.persist || force;
}

/** Looks up a table entry without creating it (for fetches and stick match). */
export function findEntry(rt: Runtime, table: StickTable, key: Sample): StickEntry | undefined {
  const k = tableKey(table, key);
  return k ? lookupEntry(table, k.key, rt.now()) : undefined;
}
