// `http-request use-service prometheus-exporter`: HAProxy's metric names, HELP and TYPE lines
// (as 2.6 prints them) for the fields haplo tracks, grouped by metric, then object.
import type { StatColumn } from './columns.js';
import type { StatRow } from './rows.js';

interface Metric {
  name: string;
  column: StatColumn;
  type: 'gauge' | 'counter';
  help: string;
  /** Object kinds (0 frontend, 1 backend, 2 server) it is printed for. */
  kinds: readonly number[];
}

const ALL = [0, 1, 2];
const FE_BE = [0, 1];
const BE_SRV = [1, 2];

/** Metric table: name suffix, CSV column, type, help (HAProxy's wording). */
const METRICS: readonly Metric[] = [
  { name: 'current_queue', column: 'qcur', type: 'gauge', help: 'Number of current queued connections', kinds: BE_SRV },
  { name: 'current_sessions', column: 'scur', type: 'gauge', help: 'Number of current sessions on the frontend, backend or server', kinds: ALL },
  { name: 'max_sessions', column: 'smax', type: 'gauge', help: 'Highest value of current sessions encountered since process started', kinds: ALL },
  { name: 'sessions_total', column: 'stot', type: 'counter', help: 'Total number of sessions since process started', kinds: ALL },
  { name: 'bytes_in_total', column: 'bin', type: 'counter', help: 'Total number of request bytes since process started', kinds: ALL },
  { name: 'bytes_out_total', column: 'bout', type: 'counter', help: 'Total number of response bytes since process started', kinds: ALL },
  { name: 'requests_denied_total', column: 'dreq', type: 'counter', help: 'Total number of denied requests since process started', kinds: FE_BE },
  { name: 'request_errors_total', column: 'ereq', type: 'counter', help: 'Total number of invalid requests since process started', kinds: [0] },
  { name: 'connection_errors_total', column: 'econ', type: 'counter', help: 'Total number of failed connections to server since the worker process started', kinds: BE_SRV },
  { name: 'response_errors_total', column: 'eresp', type: 'counter', help: 'Total number of invalid responses since the worker process started', kinds: BE_SRV },
  { name: 'redispatch_warnings_total', column: 'wredis', type: 'counter', help: 'Total number of server redispatches due to connection failures since the worker process started', kinds: BE_SRV },
  { name: 'weight', column: 'weight', type: 'gauge', help: "Server's effective weight, or sum of active servers' effective weights for a backend", kinds: BE_SRV },
  { name: 'active_servers', column: 'act', type: 'gauge', help: 'Total number of active UP servers with a non-zero weight', kinds: [1] },
  { name: 'backup_servers', column: 'bck', type: 'gauge', help: 'Total number of backup UP servers with a non-zero weight', kinds: [1] },
  { name: 'http_requests_total', column: 'req_tot', type: 'counter', help: 'Total number of HTTP requests processed by this object since the worker process started', kinds: FE_BE },
  { name: 'loadbalanced_total', column: 'lbtot', type: 'counter', help: 'Total number of requests routed by load balancing since the worker process started (ignores queue pop and stickiness)', kinds: BE_SRV },
];

const PREFIX = ['haproxy_frontend_', 'haproxy_backend_', 'haproxy_server_'];
const HRSP: readonly [StatColumn, string][] = [['hrsp_1xx', '1xx'], ['hrsp_2xx', '2xx'], ['hrsp_3xx', '3xx'], ['hrsp_4xx', '4xx'], ['hrsp_5xx', '5xx'], ['hrsp_other', 'other']];
const SERVER_STATES = ['DOWN', 'UP', 'MAINT', 'DRAIN', 'NOLB'];

function labels(r: StatRow): string {
  return r.type === 2 ? `proxy="${r.proxy}",server="${r.name}"` : `proxy="${r.proxy}"`;
}

function value(v: string | number | undefined): string {
  return typeof v === 'number' ? String(v) : 'NaN';
}

export function renderPrometheus(rows: readonly StatRow[]): string {
  let out = '';
  for (const kind of [0, 1, 2]) {
    const of = rows.filter((r) => r.type === kind);
    if (of.length === 0) continue;
    const prefix = PREFIX[kind]!;
    const block = (name: string, type: string, help: string, lines: string[]): void => {
      if (lines.length) out += `# HELP ${prefix}${name} ${help}\n# TYPE ${prefix}${name} ${type}\n${lines.join('')}`;
    };
    for (const m of METRICS) {
      if (!m.kinds.includes(kind)) continue;
      block(m.name, m.type, m.help, of.map((r) => `${prefix}${m.name}{${labels(r)}} ${value(r.fields[m.column])}\n`));
    }
    block('status', 'gauge', 'Current status of the service, per state label value.', of.flatMap((r) => {
      const status = String(r.fields.status ?? '');
      if (kind === 0) return ['DOWN', 'UP'].map((s) => `${prefix}status{${labels(r)},state="${s}"} ${(s === 'UP') === (status === 'OPEN') ? 1 : 0}\n`);
      const word = status === 'no check' ? 'UP' : status.split(' ')[0]!;
      const states = kind === 1 ? ['DOWN', 'UP', 'MAINT'] : SERVER_STATES;
      return states.map((s) => `${prefix}status{${labels(r)},state="${s}"} ${s === word ? 1 : 0}\n`);
    }));
    block('http_responses_total', 'counter', 'Total number of HTTP responses with status 100-199 returned by this object since the worker process started',
      of.filter((r) => r.fields.hrsp_2xx !== undefined).flatMap((r) => HRSP.map(([c, code]) => `${prefix}http_responses_total{${labels(r)},code="${code}"} ${value(r.fields[c])}\n`)));
  }
  return out;
}
