// What the pipeline needs from the Runtime (state shared by the requests of one simulation or
// one proxy process) and from server selection. Engineer S3 owns `runtime/**` and
// `selection/**`; until those land, this file is the adapter: the interface the pipeline
// expects, plus a small fallback (use-server, weighted round-robin, backup, 503) so the
// pipeline runs end to end. Swap `fallbackSelection` for S3's compileSelection behind the same
// interface.
import type { ProxyModel, ServerModel } from '@haplo/parser';
import type { CompiledCondition } from '../condition/compile.js';
import type { Sample } from '../sample/sample.js';
import type { StreamContext } from '../stream/context.js';

/** State that outlives a request: process variables, server states, balance positions, tables. */
export interface SimRuntime {
  /** `proc.*` variables, shared by every stream. */
  procVars: Map<string, Sample>;
  /** Milliseconds since the epoch (injected clock). */
  now(): number;
  random(): number;
  /** Administrative server state by `backend/server`; absent means as configured. */
  serverState: Map<string, 'up' | 'down' | 'maint'>;
  /** Round-robin positions by backend. */
  positions: Map<string, number>;
  /** Stick-table entries by table name then key text (server name, gpc0, gpt0, counters). */
  tables: Map<string, Map<string, StickEntry>>;
  /** Requests counted per backend/server, for leastconn-like decisions and reports. */
  served: Map<string, number>;
}

export interface StickEntry {
  server?: string;
  gpc0: number;
  gpt0: number;
  httpReqCnt: number;
  /** Request times for rate counters. */
  hits: number[];
  expiresAt?: number;
}

export interface RuntimeOptions {
  now?: () => number;
  random?: () => number;
}

/** A fresh runtime with a fixed clock unless one is given. */
export function createSimRuntime(o: RuntimeOptions = {}): SimRuntime {
  let seed = 1;
  return {
    procVars: new Map(),
    now: o.now ?? (() => 1_700_000_000_000),
    random: o.random ?? (() => { seed = (seed * 16807) % 2147483647; return (seed - 1) / 2147483646; }),
    serverState: new Map(),
    positions: new Map(),
    tables: new Map(),
    served: new Map(),
  };
}

export function stickEntry(rt: SimRuntime, table: string, key: string): StickEntry {
  let t = rt.tables.get(table);
  if (!t) rt.tables.set(table, (t = new Map()));
  let e = t.get(key);
  if (!e) t.set(key, (e = { gpc0: 0, gpt0: 0, httpReqCnt: 0, hits: [] }));
  return e;
}

/** Why a server was chosen (or none). */
export interface SelectionResult {
  server?: string;
  reason: 'use-server' | 'cookie' | 'stick-match' | 'balance' | 'backup' | 'no-server';
  detail: string;
}

/** Server selection for one backend, compiled once. */
export interface BackendSelection {
  select(ctx: StreamContext, rt: SimRuntime): SelectionResult;
  /** `stick store-request` / `stick on` after a server is chosen. */
  storeRequest?(ctx: StreamContext, rt: SimRuntime, server: string): string[];
  /** `stick store-response` on the response. */
  storeResponse?(ctx: StreamContext, rt: SimRuntime): string[];
  /** Cookie persistence on the request (strip / read) and response (insert); returns changes. */
  requestCookie?(ctx: StreamContext, rt: SimRuntime): string[];
  responseCookie?(ctx: StreamContext, rt: SimRuntime, sel: SelectionResult): string[];
}

export interface UseServerRule {
  server: string;
  when: CompiledCondition;
  line: number;
  text: string;
}

export function serverUsable(rt: SimRuntime, backend: string, s: ServerModel): boolean {
  const st = rt.serverState.get(`${backend}/${s.name}`);
  if (st) return st === 'up';
  return !s.disabled;
}

/** Fallback selection: use-server, then HAProxy-like smooth weighted round-robin, then the first backup. */
export function fallbackSelection(backend: ProxyModel, useServers: readonly UseServerRule[]): BackendSelection {
  const servers = backend.servers;
  return {
    select(ctx, rt) {
      for (const u of useServers) {
        if (u.when(ctx).result !== 'pass') continue;
        const s = servers.find((x) => x.name === u.server);
        if (s && serverUsable(rt, backend.name, s)) return { server: s.name, reason: 'use-server', detail: `use-server ${s.name} (line ${u.line})` };
      }
      const active = servers.filter((s) => !s.backup && s.weight > 0 && serverUsable(rt, backend.name, s));
      if (active.length) {
        // Smooth weighted round-robin: same interleaving as HAProxy for small weight sets.
        const key = backend.name;
        const cur = rt.positions.get(key) ?? 0;
        const total = active.reduce((a, s) => a + s.weight, 0);
        const seq = smoothSequence(active.map((s) => s.weight));
        const pick = active[seq[cur % total]!]!;
        rt.positions.set(key, cur + 1);
        return { server: pick.name, reason: 'balance', detail: `balance ${backend.balance?.value.algorithm ?? 'roundrobin'} → ${pick.name}` };
      }
      const backup = servers.find((s) => s.backup && serverUsable(rt, backend.name, s));
      if (backup) return { server: backup.name, reason: 'backup', detail: `no active server; first backup ${backup.name}` };
      return { reason: 'no-server', detail: 'no usable server' };
    },
  };
}

function smoothSequence(weights: number[]): number[] {
  const cur = weights.map(() => 0);
  const total = weights.reduce((a, b) => a + b, 0);
  const out: number[] = [];
  for (let n = 0; n < total; n++) {
    let best = 0;
    for (let i = 0; i < weights.length; i++) {
      cur[i]! += weights[i]!;
      if (cur[i]! > cur[best]!) best = i;
    }
    cur[best]! -= total;
    out.push(best);
  }
  return out;
}
