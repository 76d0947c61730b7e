// One stats row per frontend, server and backend (HAProxy's order: for each proxy in the file,
// FRONTEND, then its servers, then BACKEND), with the columns haplo tracks filled as 2.6 fills
// them and the others left out (empty in CSV). Which columns an object kind shows at all (even
// as 0) follows the binary's output: a frontend has no qcur, a server no dreq.
import type { CompiledProxy, ServerState } from '@haplo/sim';
import { lbUsable } from '@haplo/sim';
import type { ServerCheckState } from '../health/index.js';
import { CHECK_DESCRIPTIONS } from '../health/notices.js';
import type { StatColumn } from './columns.js';
import type { BackendCounters, FrontendCounters, ServerCounters } from './counters.js';
import type { StatsSource } from './sources.js';

export type StatValue = string | number;
export type StatFields = Partial<Record<StatColumn, StatValue>>;

export interface StatRow {
  /** 0 frontend, 1 backend, 2 server (HAProxy's `type` column). */
  type: 0 | 1 | 2;
  proxy: string;
  /** FRONTEND, BACKEND or the server name. */
  name: string;
  fields: StatFields;
}

/** Columns every kind prints as 0 when nothing happened (HAProxy fills them unconditionally). */
const ZERO_FE: readonly StatColumn[] = ['comp_in', 'comp_out', 'comp_byp', 'comp_rsp', 'wrew', 'cache_lookups', 'cache_hits', 'eint', 'rate_lim'];
const ZERO_BE: readonly StatColumn[] = ['comp_in', 'comp_out', 'comp_byp', 'comp_rsp', 'wrew', 'cache_lookups', 'cache_hits', 'eint',
  'qtime', 'ctime', 'rtime', 'ttime', 'qtime_max', 'ctime_max', 'rtime_max', 'ttime_max', 'connect', 'reuse',
  'agg_server_status', 'agg_server_check_status', 'agg_check_status', 'chkdown', 'cli_abrt', 'srv_abrt'];
const ZERO_SRV: readonly StatColumn[] = ['wrew', 'eint', 'qtime', 'ctime', 'rtime', 'ttime', 'qtime_max', 'ctime_max', 'rtime_max', 'ttime_max',
  'connect', 'reuse', 'srv_icur', 'safe_conn_cur', 'used_conn_cur', 'cli_abrt', 'srv_abrt'];
/** Per-module columns after `-`: frontends and backends show ssl, h2 and h1; servers ssl only. */
const MODULE_FE_BE: readonly StatColumn[] = ['ssl_sess', 'ssl_reused_sess', 'ssl_failed_handshake', 'h2_headers_rcvd', 'h2_data_rcvd',
  'h2_settings_rcvd', 'h2_rst_stream_rcvd', 'h2_goaway_rcvd', 'h2_detected_conn_protocol_errors', 'h2_detected_strm_protocol_errors',
  'h2_rst_stream_resp', 'h2_goaway_resp', 'h2_open_connections', 'h2_backend_open_streams', 'h2_total_connections',
  'h2_backend_total_streams', 'h1_open_connections', 'h1_open_streams', 'h1_total_connections', 'h1_total_streams', 'h1_bytes_in',
  'h1_bytes_out', 'h1_spliced_bytes_in', 'h1_spliced_bytes_out'];
const MODULE_SRV: readonly StatColumn[] = ['ssl_sess', 'ssl_reused_sess', 'ssl_failed_handshake'];

const HRSP: readonly StatColumn[] = ['hrsp_1xx', 'hrsp_2xx', 'hrsp_3xx', 'hrsp_4xx', 'hrsp_5xx', 'hrsp_other'];

function zeros(f: StatFields, cols: readonly StatColumn[]): void {
  for (const c of cols) f[c] = 0;
}

function responses(f: StatFields, hrsp: readonly number[], http: boolean): void {
  if (!http) return;
  HRSP.forEach((c, i) => (f[c] = hrsp[i]!));
}

/** HAProxy's proxy ids: in file order from 1, after the CLI's own proxy when a stats socket exists. */
export function proxyIds(src: StatsSource): Map<string, number> {
  const first = src.pipeline.model.global.statements.some((s) => s.keyword === 'stats socket' && s.line.active) ? 2 : 1;
  const ids = new Map<string, number>();
  src.pipeline.proxies.forEach((p, i) => {
    const written = p.model.statements.find((s) => s.keyword === 'id' && s.line.active)?.args[0]?.value;
    ids.set(p.name, written !== undefined && /^\d+$/.test(written) ? Number(written) : first + i);
  });
  return ids;
}

/** `UP`, `DOWN`, `MAINT`, `DRAIN`, `no check`, or `UP 1/3` / `DOWN 1/2` while checks move it. */
export function serverStatusText(s: ServerState, check: ServerCheckState | undefined): string {
  if (s.status === 'MAINT') return 'MAINT';
  if (s.status === 'DRAIN') return 'DRAIN';
  if (!check || !check.running) return s.status === 'UP' ? 'no check' : s.status;
  const top = check.rise + check.fall - 1;
  if (s.status === 'UP') return check.health < top && check.health >= check.rise ? `UP ${check.health - check.rise + 1}/${check.fall}` : 'UP';
  return check.health > 0 && check.health < check.rise ? `DOWN ${check.health}/${check.rise}` : 'DOWN';
}

function secondsSince(now: number, at: number): number {
  return Math.max(0, Math.floor((now - at) / 1000));
}

function frontendRow(src: StatsSource, p: CompiledProxy, c: FrontendCounters, iid: number): StatRow {
  const now = src.now();
  const http = p.mode === 'http';
  const maxconn = src.settings(p).maxconn || src.globalMaxconn;
  const f: StatFields = {
    scur: c.scur, smax: c.smax, slim: maxconn, stot: c.stot, bin: c.bin, bout: c.bout, dreq: c.dreq, dresp: c.dresp, ereq: c.ereq,
    status: 'OPEN', pid: 1, iid, sid: 0, type: 0, rate: c.rate.current(now), rate_max: c.rate.max,
    mode: http ? 'http' : 'tcp', conn_rate: c.connRate.current(now), conn_rate_max: c.connRate.max, conn_tot: c.connTot,
    intercepted: c.intercepted, dcon: c.dcon, dses: 0, '-': '-',
  };
  zeros(f, ZERO_FE);
  zeros(f, MODULE_FE_BE);
  responses(f, c.hrsp, http);
  if (http) {
    f.req_rate = c.reqRate.current(now);
    f.req_rate_max = c.reqRate.max;
    f.req_tot = c.reqTot;
  }
  return { type: 0, proxy: p.name, name: 'FRONTEND', fields: f };
}

function serverRow(src: StatsSource, p: CompiledProxy, s: ServerState, c: ServerCounters, iid: number): StatRow {
  const now = src.now();
  const http = p.mode === 'http';
  const check = src.health?.state(p.name, s.name);
  const hist = src.history(p.name, s.name);
  const changedAt = Math.max(hist.changedAt, check?.lastChangeAt ?? 0, src.stats.startedAt);
  const conns = src.connections(p.name, s.name);
  const f: StatFields = {
    qcur: 0, qmax: 0, scur: c.scur, smax: c.smax, stot: c.stot, bin: c.bin, bout: c.bout,
    dresp: c.dresp, econ: c.econ, eresp: c.eresp, wretr: c.wretr, wredis: c.wredis,
    status: serverStatusText(s, check), weight: s.weight, act: s.backup ? 0 : 1, bck: s.backup ? 1 : 0,
    lastchg: secondsSince(now, changedAt), pid: 1, iid, sid: s.id, lbtot: c.lbtot, type: 2,
    rate: c.rate.current(now), rate_max: c.rate.max, req_tot: http ? c.reqTot : undefined,
    lastsess: c.lastSessionAt ? secondsSince(now, c.lastSessionAt) : -1,
    mode: http ? 'http' : 'tcp', idle_conn_cur: conns.idle, need_conn_est: conns.needed, uweight: s.weight, '-': '-',
  };
  if (!http) delete f.req_tot;
  zeros(f, ZERO_SRV);
  zeros(f, MODULE_SRV);
  f.srv_icur = conns.idle + conns.safe;
  f.safe_conn_cur = conns.safe;
  f.used_conn_cur = conns.used;
  if (s.maxconn > 0) f.slim = s.maxconn;
  responses(f, c.hrsp, http);
  if (check && check.running) {
    f.chkfail = check.failedChecks;
    f.chkdown = check.downs;
    f.downtime = 0;
    f.check_rise = check.rise;
    f.check_fall = check.fall;
    f.check_health = check.health;
    if (check.last) {
      f.check_status = check.last.status;
      f.check_duration = check.last.durationMs;
      f.check_desc = CHECK_DESCRIPTIONS[check.last.status];
      if (check.last.code !== undefined) f.check_code = check.last.code;
      f.last_chk = check.last.info ?? '';
    }
  }
  return { type: 2, proxy: p.name, name: s.name, fields: f };
}

function backendRow(src: StatsSource, p: CompiledProxy, c: BackendCounters, iid: number, fullconn: number): StatRow {
  const now = src.now();
  const http = p.mode === 'http';
  const be = src.runtime.backend(p.name);
  const servers = be?.servers ?? [];
  const active = servers.filter((s) => !s.backup && lbUsable(s));
  const backup = servers.filter((s) => s.backup && lbUsable(s));
  const weighted = active.length ? active : backup;
  const weight = weighted.reduce((n, s) => n + s.weight, 0);
  const q = src.queued(p.name);
  const f: StatFields = {
    qcur: q, qmax: Math.max(q, 0), scur: c.scur, smax: c.smax, slim: fullconn, stot: c.stot, bin: c.bin, bout: c.bout,
    dreq: c.dreq, dresp: c.dresp, econ: c.econ, eresp: c.eresp, wretr: c.wretr, wredis: c.wredis,
    status: active.length + backup.length > 0 || servers.length === 0 ? 'UP' : 'DOWN', weight, act: active.length, bck: backup.length,
    lastchg: secondsSince(now, src.stats.startedAt), downtime: 0, pid: 1, iid, sid: 0, lbtot: c.lbtot, type: 1,
    rate: c.rate.current(now), rate_max: c.rate.max, lastsess: c.lastSessionAt ? secondsSince(now, c.lastSessionAt) : -1,
    mode: http ? 'http' : 'tcp', uweight: weight, '-': '-',
  };
  if (servers.length === 0) delete f.downtime;
  zeros(f, ZERO_BE);
  zeros(f, MODULE_FE_BE);
  responses(f, c.hrsp, http);
  if (http) f.req_tot = c.reqTot;
  return { type: 1, proxy: p.name, name: 'BACKEND', fields: f };
}

/** HAProxy's default fullconn: 10% of the maxconn of the frontends that name the backend, at least 1. */
function fullconns(src: StatsSource): Map<string, number> {
  const sum = new Map<string, number>();
  for (const fe of src.pipeline.frontends) {
    const maxconn = src.settings(fe).maxconn || src.globalMaxconn;
    const named = new Set<string>();
    const m = fe.model;
    if (m.capabilities.backend) named.add(fe.name);
    const words = [m.defaultBackend, ...m.useBackends].map((st) => st?.args[0]?.value).filter((v): v is string => !!v && !v.includes('%['));
    for (const w of words) named.add(w);
    for (const b of named) sum.set(b, (sum.get(b) ?? 0) + maxconn);
  }
  const out = new Map<string, number>();
  for (const [b, n] of sum) out.set(b, Math.max(1, Math.ceil(n / 10)));
  return out;
}

/** Every row, in HAProxy's order. */
export function statRows(src: StatsSource): StatRow[] {
  const ids = proxyIds(src);
  const full = fullconns(src);
  const rows: StatRow[] = [];
  for (const p of src.pipeline.proxies) {
    const iid = ids.get(p.name)!;
    if (p.model.capabilities.frontend) rows.push(frontendRow(src, p, src.stats.frontend(p.name), iid));
    if (!p.model.capabilities.backend) continue;
    for (const s of src.runtime.backend(p.name)?.servers ?? []) rows.push(serverRow(src, p, s, src.stats.server(p.name, s.name), iid));
    rows.push(backendRow(src, p, src.stats.backend(p.name), iid, full.get(p.name) ?? 1));
  }
  return rows;
}
