// Server selection for one backend, compiled once: use-server rules, cookie persistence,
// force-persist/ignore-persist, stick match, then the balance algorithm — in HAProxy's order
// (reference §5.1 steps 13–16) — plus the stick store and cookie steps of the response.
import { parseSampleExpression, type ProxyModel, type Statement } from '@haplo/parser';
import { createAclTable } from '../acl/named.js';
import { reportProblem, type CompileEnv } from '../compile-env.js';
import { compileCondition, type AclEvaluation, type CompiledCondition } from '../condition/compile.js';
import { fullHash } from '../converters/hashes.js';
import { inAddrLE, rdpCookie, rdpPersistTarget } from '../fetches/payload.js';
import { compileLogFormat, compileSample, type CompiledSample } from '../sample/evaluate.js';
import { cast, encodeUtf8, MISS, type Sample } from '../sample/sample.js';
import { txnMethod, type Phase, type StreamContext } from '../stream/context.js';
import { splitValues } from '../stream/headers.js';
import { pathAndQuery } from '../stream/uri.js';
import { persistUsable, type BackendState, type Runtime, type StreamState } from '../runtime/runtime.js';
import { running, type ServerState } from '../runtime/servers.js';
import { addData, getOrCreateEntry, lookupEntry, tableKey, touchEntry } from '../runtime/stick-table.js';
import { balanceConfig, genHash, type BalanceConfig } from './balance-config.js';
import { applyCookieRequest, applyCookieResponseHeaders, cookieConfig, type CookieConfig, type CookieResponseChange, type CookieVerdict } from './cookie.js';

export type SelectionReason = 'use-server' | 'cookie' | 'rdp-cookie' | 'stick' | 'balance' | 'backup' | 'none';

export interface Selection {
  /** The chosen server; undefined means no usable server (HAProxy answers 503). */
  server?: string;
  reason: SelectionReason;
  /** A sentence for the trace: which rule, cookie, entry or algorithm decided. */
  detail: string;
  /** Chosen through persistence (use-server, cookie, stick): HAProxy's SF_DIRECT. */
  direct: boolean;
  /** What the request's persistence cookie said. */
  cookie: CookieVerdict;
  persist?: 'force' | 'ignore';
}

/** One step of selection as the trace shows it. */
export interface SelectionEvent {
  step: 'persist' | 'use-server' | 'cookie' | 'rdp-cookie' | 'stick' | 'balance' | 'stick-store';
  /** 1-based config line of the rule or statement. */
  line?: number;
  text: string;
  /** The rule's condition: true/false, null when it has none. */
  condition?: boolean | null;
  acls?: AclEvaluation[];
  result: string;
}

export type SelectionTrace = (event: SelectionEvent) => void;

export interface CompiledSelection {
  (ctx: StreamContext, runtime: Runtime, trace?: SelectionTrace): Selection;
  backend: string;
  balance: BalanceConfig;
  cookie?: CookieConfig;
  /** force-persist / ignore-persist; HAProxy evaluates them when the backend is chosen (call then, or select does it). */
  persistRules(ctx: StreamContext, runtime: Runtime, trace?: SelectionTrace): 'force' | 'ignore' | undefined;
  /** Commits pending `stick store-request` / `stick on` entries for `server` (also done by storeStickResponse). */
  storeStickRequest(ctx: StreamContext, runtime: Runtime, server: string | undefined, trace?: SelectionTrace): void;
  /** Runs `stick store-response` rules on the response, then commits every pending store for `server`. */
  storeStickResponse(ctx: StreamContext, runtime: Runtime, server: string | undefined, trace?: SelectionTrace): void;
  /** Response side of cookie persistence: edits ctx.response's Set-Cookie (and Cache-control) headers. */
  applyCookieResponse(ctx: StreamContext, runtime: Runtime, selection: Selection): CookieResponseChange | undefined;
}

interface Rule {
  line: number;
  text: string;
  cond?: CompiledCondition;
}

const lineOf = (s: Statement) => s.line.line + 1;
/** The rule as written on its line (words joined by one space). */
const textOf = (s: Statement) => s.line.words.map((w) => w.text).join(' ');

/** Evaluates a rule's condition; with no trace to feed, without building ACL detail. */
function runCond(r: Rule, ctx: StreamContext, trace: SelectionTrace | undefined): { ok: boolean; cond: boolean | null; acls?: AclEvaluation[] } {
  if (!r.cond) return { ok: true, cond: null };
  if (!trace) {
    const ok = r.cond.test(ctx) === 'pass';
    return { ok, cond: ok };
  }
  const o = r.cond(ctx);
  return { ok: o.result === 'pass', cond: o.result === 'pass', acls: o.trace };
}

function withPhase<T>(ctx: StreamContext, phase: Phase, f: () => T): T {
  const saved = ctx.phase;
  ctx.phase = phase;
  try {
    return f();
  } finally {
    ctx.phase = saved;
  }
}

interface StickRule extends Rule {
  kind: 'on' | 'match' | 'store-request' | 'store-response';
  expr: CompiledSample;
  table: string;
}

/** Compiles a backend's server selection. */
export function compileSelection(proxy: ProxyModel, env: CompileEnv = {}): CompiledSelection {
  const acls = createAclTable(proxy, env);
  const cond = (s: Statement) => (s.condition ? compileCondition(s.condition, acls, env, { line: lineOf(s), file: proxy.section.file }) : undefined);
  const balance = balanceConfig(proxy);
  const cookie = cookieConfig(proxy);

  const persistRules = proxy.statements
    .filter((s) => s.keyword === 'force-persist' || s.keyword === 'ignore-persist')
    .map((s) => ({ line: lineOf(s), text: textOf(s), cond: cond(s), force: s.keyword === 'force-persist' }));

  const useServers = proxy.useServers.map((s) => {
    const lf = s.logFormats.find((l) => l.argIndex === 0);
    const dyn = lf && lf.format.parts.some((p) => p.kind !== 'text') ? compileLogFormat(lf.format, env) : undefined;
    const name = s.args[0]?.value ?? '';
    if (!dyn && !proxy.servers.some((x) => x.name === name)) reportProblem(env, `use-server: no such server '${name}' in backend '${proxy.name}'`, s.args[0]?.range);
    return { line: lineOf(s), text: textOf(s), cond: cond(s), name, dyn };
  });

  const stickRules: StickRule[] = [];
  for (const s of proxy.stickRules) {
    const kind = s.keyword.replace(/^stick\s+/, '') as StickRule['kind'];
    const sample = s.samples.find((x) => x.argIndex === 0)?.expr;
    if (!sample) {
      reportProblem(env, `'${s.keyword}' expects a sample expression`, s.range);
      continue;
    }
    const ti = s.args.findIndex((w, i) => i > 0 && w.value === 'table');
    const table = ti > 0 ? s.args[ti + 1]?.value ?? proxy.name : proxy.name;
    stickRules.push({ kind, line: lineOf(s), text: textOf(s), cond: cond(s), expr: compileSample(sample, env), table });
  }
  const requestSticks = stickRules.filter((r) => r.kind !== 'store-response');
  const responseSticks = stickRules.filter((r) => r.kind === 'store-response');

  const hashExpr = (() => {
    if (balance.algorithm !== 'hash') return undefined;
    const st = balance.statement;
    const word = st?.args[1];
    const e = st?.samples.find((x) => x.argIndex === 1)?.expr ?? (word ? parseSampleExpression(word).expr : undefined);
    if (!e) {
      reportProblem(env, 'hash requires a sample expression.', st?.range);
      return undefined;
    }
    return compileSample(e, env);
  })();

  const rdpPersist = rdpPersistConfig(proxy);

  const backendOf = (rt: Runtime): BackendState | undefined => rt.backend(proxy.name);

  const evalPersist = (ctx: StreamContext, rt: Runtime, trace?: SelectionTrace): 'force' | 'ignore' | undefined => {
    const st = rt.stream(ctx);
    if (st.persistDone) return st.persist;
    st.persistDone = true;
    for (const r of persistRules) {
      const c = runCond(r, ctx, trace);
      trace?.({ step: 'persist', line: r.line, text: r.text, condition: c.cond, acls: c.acls, result: c.ok ? (r.force ? 'force-persist' : 'ignore-persist') : 'no match' });
      if (c.ok) {
        st.persist = r.force ? 'force' : 'ignore';
        break;
      }
    }
    return st.persist;
  };

  const keyOf = (ctx: StreamContext, r: StickRule): Sample | undefined => {
    const v = r.expr.one(ctx);
    return v === undefined || v === MISS ? undefined : v;
  };

  // The phase switch is written out here rather than through withPhase: this runs on every
  // forwarded request, and the closure withPhase takes was made each time.
  const select = ((ctx: StreamContext, rt: Runtime, trace?: SelectionTrace): Selection => {
    const saved = ctx.phase;
    ctx.phase = 'be-server-selection';
    try {
      return selectServer(ctx, rt, trace);
    } finally {
      ctx.phase = saved;
    }
  }) as CompiledSelection;

  const selectServer = (ctx: StreamContext, rt: Runtime, trace?: SelectionTrace): Selection => {
    const be = backendOf(rt);
    const st = rt.stream(ctx);
    if (!be) return { reason: 'none', detail: `no runtime state for backend '${proxy.name}'`, direct: false, cookie: 'none' };
    const persist = evalPersist(ctx, rt, trace);
    const force = persist === 'force';
    const usable = (s: ServerState) => persistUsable(be, s, force);
    let chosen: Selection | undefined;

    // 13. use-server
    for (const r of useServers) {
      const c = runCond(r, ctx, trace);
      let result = 'no match';
      if (c.ok) {
        const name = r.dyn ? r.dyn(ctx) : r.name;
        const srv = be.byName.get(name);
        if (!srv) result = `no server '${name}'`;
        else if (!usable(srv)) result = `server '${name}' is ${srv.status}, next rule`;
        else {
          result = `server '${name}'`;
          chosen = { server: name, reason: 'use-server', detail: `use-server ${name} (line ${r.line})`, direct: true, cookie: 'none' };
        }
        trace?.({ step: 'use-server', line: r.line, text: r.text, condition: c.cond, acls: c.acls, result });
        if (chosen || !srv) break;
        continue;
      }
      trace?.({ step: 'use-server', line: r.line, text: r.text, condition: c.cond, acls: c.acls, result });
    }

    // 14. cookie persistence (still runs to strip the cookie when a server is already chosen)
    let verdict: CookieVerdict = 'none';
    if (cookie && ctx.request) {
      const res = applyCookieRequest(cookie, ctx.request.headers, be.servers, { assigned: chosen !== undefined, ignore: persist === 'ignore', usable });
      verdict = res.verdict;
      if (res.server && !chosen) chosen = { server: res.server.name, reason: 'cookie', detail: `cookie ${cookie.name}=${res.value} names server '${res.server.name}'`, direct: true, cookie: verdict };
      trace?.({ step: 'cookie', text: `cookie ${cookie.name}`, result: res.value === undefined ? 'no persistence cookie' : `${cookie.name}=${res.value}: ${verdict}` });
    }

    // persist rdp-cookie (tcp_persist_rdp_cookie, between use-server and stick match): the cookie
    // names a server by address and port; a stopped one only with `option persist`
    if (rdpPersist && !chosen) {
      const r = rdpCookie(ctx, rdpPersist.name);
      let result = 'no rdp cookie';
      if (r?.found && r.value.length) {
        const v = new TextDecoder().decode(r.value);
        const t = rdpPersistTarget(r.value);
        if (!t) result = `${v}: not <addr>.<port>.`;
        else {
          // the first server at that address that is not stopped (or any, with option persist)
          const at = rdpPersist.servers.filter((x) => x.addr === t.addr && x.port === t.port).map((x) => be.byName.get(x.name)).filter((x) => x !== undefined);
          const srv = at.find((x) => running(x) || be.persist);
          if (!srv) result = at.length ? `${v} → ${at[0]!.name}, which is ${at[0]!.status}` : `${v}: no server at that address`;
          else {
            chosen = { server: srv.name, reason: 'rdp-cookie', detail: `rdp cookie ${rdpPersist.label}=${v} names server '${srv.name}'`, direct: true, cookie: verdict };
            result = `${v} → ${srv.name}`;
          }
        }
      }
      trace?.({ step: 'rdp-cookie', line: rdpPersist.line, text: rdpPersist.text, result });
    }

    // 15. stick match / stick on (match part); store-request entries are prepared here
    if (st.stores.length) st.stores = st.stores.filter((x) => x.response);
    for (const r of requestSticks) {
      const isStore = r.kind === 'on' || r.kind === 'store-request';
      const table = rt.table(r.table);
      if (!table) continue;
      // only the first store rule of each table applies (a later `stick on` is skipped whole)
      if (isStore && st.stores.some((x) => x.table === table && !x.response)) continue;
      const c = runCond(r, ctx, trace);
      if (!c.ok) {
        trace?.({ step: 'stick', line: r.line, text: r.text, condition: c.cond, acls: c.acls, result: 'condition false' });
        continue;
      }
      const raw = keyOf(ctx, r);
      const k = raw && tableKey(table, raw);
      if (!k) {
        trace?.({ step: 'stick', line: r.line, text: r.text, condition: c.cond, acls: c.acls, result: 'no key' });
        continue;
      }
      let result = '';
      if (r.kind === 'on' || r.kind === 'match') {
        const e = lookupEntry(table, k.key, rt.now());
        if (!e) result = `key ${k.key}: no entry`;
        else {
          const srv = (e.serverName !== undefined ? be.byName.get(e.serverName) : undefined) ?? (e.serverId !== undefined ? be.byId.get(e.serverId) : undefined);
          if (!srv) result = `key ${k.key}: entry names no server of ${proxy.name}`;
          else if (chosen) result = `key ${k.key} → ${srv.name} (server already chosen)`;
          else if (!usable(srv)) result = `key ${k.key} → ${srv.name}, which is ${srv.status}`;
          else {
            chosen = { server: srv.name, reason: 'stick', detail: `stick entry ${k.key} in table ${table.name} → ${srv.name}`, direct: true, cookie: verdict };
            result = `key ${k.key} → ${srv.name}`;
          }
          touchEntry(table, e, rt.now());
        }
      }
      if (isStore) {
        st.stores.push({ table, key: k, response: false });
        result += (result ? '; ' : '') + `will store key ${k.key}`;
      }
      trace?.({ step: 'stick', line: r.line, text: r.text, condition: c.cond, acls: c.acls, result });
    }

    if (chosen) {
      chosen.cookie = verdict;
      chosen.persist = persist;
      st.selection = { server: chosen.server, direct: chosen.direct };
      return chosen;
    }

    // 16. balance
    const picked = balancePick(ctx, rt, be, balance, hashExpr);
    const srv = picked.server;
    const sel: Selection = srv
      ? { server: srv.name, reason: srv.backup ? 'backup' : 'balance', detail: picked.detail, direct: false, cookie: verdict, persist }
      : { reason: 'none', detail: picked.detail, direct: false, cookie: verdict, persist };
    trace?.({ step: 'balance', line: balance.statement ? lineOf(balance.statement) : undefined, text: balance.text, result: srv ? `${srv.name}${srv.backup ? ' (backup)' : ''}: ${picked.detail}` : picked.detail });
    st.selection = { server: sel.server, direct: false };
    return sel;
  };

  const commit = (ctx: StreamContext, rt: Runtime, st: StreamState, server: string | undefined, which: (x: StreamState['stores'][number]) => boolean, trace?: SelectionTrace) => {
    if (st.stores.length === 0) return;
    const be = backendOf(rt);
    const srv = server !== undefined ? be?.byName.get(server) : undefined;
    const pending = st.stores.filter(which);
    st.stores = st.stores.filter((x) => !which(x));
    if (!srv) return;
    for (const p of pending) {
      if (srv.nonStick) continue;
      const t = rt.now();
      const e = getOrCreateEntry(p.table, p.key, t);
      if (!e) continue;
      e.serverId = srv.id;
      e.serverName = srv.name;
      addData(p.table, e, 'server_id', t, 0);
      touchEntry(p.table, e, t);
      trace?.({ step: 'stick-store', text: `table ${p.table.name}`, result: `stored ${p.key.key} → ${srv.name}` });
    }
  };

  select.backend = proxy.name;
  select.balance = balance;
  select.cookie = cookie;
  select.persistRules = evalPersist;
  select.storeStickRequest = (ctx, rt, server, trace) => commit(ctx, rt, rt.stream(ctx), server, (x) => !x.response, trace);
  select.storeStickResponse = (ctx, rt, server, trace) => {
    // Nothing to evaluate or commit (the common backend): skip the phase switch and its closure.
    if (responseSticks.length === 0 && !rt.stream(ctx).stores.length) return;
    storeStickResponse(ctx, rt, server, trace);
  };
  const storeStickResponse = (ctx: StreamContext, rt: Runtime, server: string | undefined, trace?: SelectionTrace) => withPhase(ctx, 'be-stick-store', () => {
    const st = rt.stream(ctx);
    for (const r of responseSticks) {
      const table = rt.table(r.table);
      if (!table || st.stores.some((x) => x.table === table && x.response)) continue;
      const c = runCond(r, ctx, trace);
      if (!c.ok) {
        trace?.({ step: 'stick', line: r.line, text: r.text, condition: c.cond, acls: c.acls, result: 'condition false' });
        continue;
      }
      const raw = keyOf(ctx, r);
      const k = raw && tableKey(table, raw);
      trace?.({ step: 'stick', line: r.line, text: r.text, condition: c.cond, acls: c.acls, result: k ? `will store key ${k.key}` : 'no key' });
      if (k) st.stores.push({ table, key: k, response: true });
    }
    commit(ctx, rt, st, server, () => true, trace);
  });
  select.applyCookieResponse = (ctx, rt, selection) => {
    if (!cookie || !ctx.response) return undefined;
    const be = backendOf(rt);
    const srv = selection.server !== undefined ? be?.byName.get(selection.server) : undefined;
    return applyCookieResponseHeaders(cookie, ctx.response, {
      server: srv, direct: selection.direct, ignore: selection.persist === 'ignore',
      method: txnMethod(ctx) ?? 'GET',
    });
  };
  return select;
}

interface RdpPersistConfig {
  name: Uint8Array;
  label: string;
  line: number;
  text: string;
  /** IPv4 servers by in_addr host integer and service port (others never match). */
  servers: { name: string; addr: number; port: number }[];
}

/** `persist rdp-cookie[(name)]` in effect (the proxy's last, else its defaults'); default name `msts`. */
function rdpPersistConfig(proxy: ProxyModel): RdpPersistConfig | undefined {
  let st: Statement | undefined;
  for (let q: ProxyModel | undefined = proxy; q && !st; q = q.defaults) st = [...q.statements].reverse().find((s) => /^persist rdp-cookie(\(|$)/.test(s.keyword));
  if (!st) return undefined;
  const m = /^persist rdp-cookie(?:\(([^)]*)\))?/.exec(st.keyword);
  const label = m?.[1] || 'msts';
  const servers: RdpPersistConfig['servers'] = [];
  for (const s of proxy.servers) {
    const addr = s.host !== undefined && s.family === 'ipv4' ? inAddrLE(s.host) : undefined;
    if (addr !== undefined) servers.push({ name: s.name, addr, port: s.port ?? s.portOffset ?? 0 });
  }
  return { name: encodeUtf8(label), label, line: lineOf(st), text: textOf(st), servers };
}

// ---- the balance algorithms -------------------------------------------------------------------

interface Pick { server?: ServerState; detail: string }

const NO_SERVER = 'no usable server (503)';

function hashPick(be: BackendState, cfg: BalanceConfig, hash: number | undefined, what: string): Pick {
  const b = be.balancer;
  if (!b.totalWeight()) return { detail: NO_SERVER };
  if (hash === undefined) {
    const s = b.next();
    return s ? { server: s, detail: `${what} absent: round robin` } : { detail: NO_SERVER };
  }
  const s = b.byHash(hash);
  return s ? { server: s, detail: `${what}, hash ${hash >>> 0} (${cfg.hashType} ${cfg.hashFunction}${cfg.avalanche ? ' avalanche' : ''})` } : { detail: NO_SERVER };
}

function finish(cfg: BalanceConfig, h: number): number {
  return cfg.avalanche ? fullHash(h >>> 0) : h >>> 0;
}

/** The bytes get_server_uh hashes: up to `?` unless whole, stopping at the depth+1-th slash, within len. */
export function uriHashInput(uri: string, cfg: BalanceConfig['uri']): string {
  let s = uri;
  if (cfg.len) s = s.slice(0, cfg.len);
  let end = 0;
  let slashes = 0;
  for (; end < s.length; end++) {
    const c = s[end];
    if (c === '/') {
      slashes++;
      if (cfg.depth && slashes === cfg.depth + 1) break;
    } else if (c === '?' && !cfg.whole) break;
  }
  return s.slice(0, end);
}

/** The value get_server_ph finds for `name` in a query string, as HAProxy scans it. */
export function urlParamValue(query: string, name: string): string | undefined {
  let p = 0;
  while (query.length - p > name.length) {
    if (query[p + name.length] === '=' && query.startsWith(name, p)) {
      const start = p + name.length + 1;
      const amp = query.indexOf('&', start);
      return query.slice(start, amp < 0 ? undefined : amp);
    }
    const amp = query.indexOf('&', p);
    if (amp < 0) return undefined;
    p = amp + 1;
  }
  return undefined;
}

/** The middle label of a host name (`use_domain_only`): `www.example.com` → `example`. */
export function domainOnly(v: string): string {
  let i = v.length;
  let end = v.length;
  let dohash = false;
  let len = v.length;
  while (len) {
    if (dohash) {
      if (v[i - 1] === '.') break;
    } else if (v[i] === '.') {
      end = i;
      dohash = true;
    }
    i--;
    len--;
  }
  return v.slice(i, end);
}

function balancePick(ctx: StreamContext, rt: Runtime, be: BackendState, cfg: BalanceConfig, hashExpr: CompiledSample | undefined): Pick {
  const b = be.balancer;
  const one = b.used() === 1;
  switch (cfg.algorithm) {
    case 'roundrobin':
    case 'static-rr':
    case 'leastconn':
    case 'first': {
      const s = b.next();
      return s ? { server: s, detail: cfg.algorithm } : { detail: b.totalWeight() ? 'all servers are full' : NO_SERVER };
    }
    case 'random': {
      if (!b.totalWeight()) return { detail: NO_SERVER };
      let curr: ServerState | undefined;
      for (let d = 0; d < cfg.draws; d++) {
        const prev = curr;
        curr = b.byHash(Math.floor(ctx.random() * 4294967296) >>> 0);
        if (!curr) break;
        if (prev && prev !== curr && curr.served * prev.weight > prev.served * curr.weight) curr = prev;
      }
      if (curr && curr.maxconn && curr.served >= curr.maxconn) return { detail: 'chosen server is full' };
      return curr ? { server: curr, detail: `random (${cfg.draws} draws)` } : { detail: NO_SERVER };
    }
    case 'source': {
      const bytes = ctx.conn.src.bytes;
      let h = 0;
      if (!one) {
        for (let i = 0; i + 4 <= bytes.length; i += 4) h = (h ^ ((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!)) >>> 0;
        h = finish(cfg, h);
      }
      return hashPick(be, cfg, h, 'source address');
    }
    case 'uri': {
      const req = ctx.request;
      if (!req) return hashPick(be, cfg, undefined, 'uri');
      let uri = req.uri;
      if (cfg.uri.pathOnly) uri = pathAndQuery(uri) ?? '';
      const input = uriHashInput(uri, cfg.uri);
      return hashPick(be, cfg, one ? 0 : finish(cfg, genHash(cfg, encodeUtf8(input))), `uri '${input}'`);
    }
    case 'url_param': {
      const req = ctx.request;
      const name = cfg.param ?? '';
      let v: string | undefined;
      if (req) {
        const q = req.uri.indexOf('?');
        if (q >= 0) v = urlParamValue(req.uri.slice(q + 1), name);
        if (v === undefined && cfg.checkPost && req.method === 'POST') v = urlParamValue(new TextDecoder().decode(req.body), name);
      }
      return hashPick(be, cfg, v === undefined ? undefined : finish(cfg, genHash(cfg, encodeUtf8(v))), `url_param ${name}='${v ?? ''}'`);
    }
    case 'hdr': {
      const req = ctx.request;
      const name = cfg.param ?? '';
      if (!b.totalWeight()) return { detail: NO_SERVER };
      if (one) return hashPick(be, cfg, 0, `hdr(${name})`);
      const v = req ? splitValues(req.headers, name)[0] : undefined;
      if (v === undefined || v === '') return hashPick(be, cfg, undefined, `hdr(${name})`);
      const input = cfg.useDomainOnly ? domainOnly(v) : v;
      return hashPick(be, cfg, finish(cfg, genHash(cfg, encodeUtf8(input))), `hdr(${name}) '${input}'`);
    }
    case 'rdp-cookie': {
      // get_server_rch: hash the cookie's value; absent, empty or incomplete → round robin
      const what = `rdp-cookie(${cfg.param ?? ''})`;
      if (!b.totalWeight()) return { detail: NO_SERVER };
      const r = rdpCookie(ctx, encodeUtf8(cfg.param ?? ''));
      if (!r?.found || r.value.length === 0) return hashPick(be, cfg, undefined, what);
      const v = new TextDecoder().decode(r.value);
      return hashPick(be, cfg, one ? 0 : finish(cfg, genHash(cfg, r.value)), `${what} '${v}'`);
    }
    case 'hash': {
      if (!b.totalWeight()) return { detail: NO_SERVER };
      if (one) return hashPick(be, cfg, 0, `hash ${hashExpr?.text ?? ''}`);
      const v = hashExpr?.one(ctx);
      const bin = v === undefined || v === MISS ? undefined : cast(v, 'bin');
      if (!bin || bin.type !== 'bin') return hashPick(be, cfg, undefined, `hash ${hashExpr?.text ?? ''}`);
      return hashPick(be, cfg, finish(cfg, genHash(cfg, bin.value)), `hash ${hashExpr?.text ?? ''}`);
    }
  }
}
