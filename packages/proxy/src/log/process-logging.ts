// The logging of one loaded configuration: the global targets and settings, one logger per
// frontend compiled at load, and the sinks they share. Built once per generation; `close()`
// flushes stdout/stderr lines and closes the UDP sockets.
import { hostname as systemHostname } from 'node:os';
import type { Model, ProxyModel } from '@haplo/parser';
import type { CompileEnv, StreamContext } from '@haplo/sim';
import { createFrontendLogger, type FrontendLogger, type LoggingShared } from './frontend-logger.js';
import { frontendLogSettings } from './frontend-log-settings.js';
import type { ConnectionCounts } from './line-input.js';
import { createLogSinks, type LogSinks, type SinkOptions } from './log-sinks.js';
import { DEFAULT_MAX_LENGTH, globalTargets, proxyTargets, type LogTarget } from './log-targets.js';

export interface LoggingOptions extends SinkOptions {
  /** Clock in ms since the epoch (Date.now). */
  now?: () => number;
  /**
   * Connection counts at log time: process (actconn), frontend (feconn), backend (beconn).
   * Missing ones read 1 for the process and frontend (the logged connection itself), and the
   * Runtime's served count for the backend and server.
   */
  counts?: (frontend: string, ctx: StreamContext) => Partial<ConnectionCounts>;
  /** Program name used as the default tag (HAProxy uses argv[0]: "haproxy"). */
  program?: string;
  pid?: number;
  hostname?: string;
  /** Environment for %[…] expressions (readFile for maps…). */
  env?: CompileEnv;
  /** Replaces the sinks (tests). */
  sinks?: LogSinks;
}

export interface ProcessLogging {
  /** The logger of a frontend (or listen) by name; a disabled one for unknown names. */
  frontend(name: string): FrontendLogger;
  /** Refused log lines and formats: HAProxy would not start with them. */
  readonly problems: readonly string[];
  /** Warnings (option httplog on a tcp frontend…). */
  readonly warnings: readonly string[];
  /** Global targets, as read. */
  readonly globalTargets: readonly LogTarget[];
  close(): void;
}

const word = (st: Model['global']['statements'], keyword: string): { present: boolean; value?: string } => {
  let found: { present: boolean; value?: string } = { present: false };
  for (const s of st) if (s.keyword === keyword && s.line.active && !s.modifier) found = { present: true, value: s.args[0]?.value };
  return found;
};

export function createProcessLogging(model: Model, o: LoggingOptions = {}): ProcessLogging {
  const problems: string[] = [];
  const warnings: string[] = [];
  const global = globalTargets(model.global.statements, problems);
  const now = o.now ?? Date.now;
  const sinks = o.sinks ?? createLogSinks(o);
  const host = o.hostname ?? systemHostname();
  const sendHostname = word(model.global.statements, 'log-send-hostname');
  const globalTag = word(model.global.statements, 'log-tag').value;
  const perProxy = new Map<string, { p: ProxyModel; targets: LogTarget[] }>();
  let maxLength = DEFAULT_MAX_LENGTH;
  for (const t of global) maxLength = Math.max(maxLength, t.maxLength);
  for (const p of model.proxies) {
    if (!p.capabilities.frontend || perProxy.has(p.name)) continue;
    const targets = proxyTargets(p, global, problems);
    for (const t of targets) maxLength = Math.max(maxLength, t.maxLength);
    perProxy.set(p.name, { p, targets });
  }
  const cookieBackends = new Set(model.proxies.filter((p) => p.capabilities.backend && hasCookie(p)).map((p) => p.name));
  const shared: LoggingShared = {
    sinks,
    now,
    counts: (fe, ctx) => countsAt(fe, ctx, o.counts),
    pid: o.pid ?? process.pid,
    hostname: host,
    sendHostname: sendHostname.present ? sendHostname.value || host : undefined,
    tag: globalTag ?? o.program ?? 'haproxy',
    maxMessage: maxLength - 1,
    report: (m) => problems.push(m),
    env: { ...o.env, report: (p) => problems.push(p.message) },
  };
  const loggers = new Map<string, FrontendLogger>();
  for (const [name, { p, targets }] of perProxy) {
    const settings = frontendLogSettings(p);
    warnings.push(...settings.warnings);
    loggers.set(name, createFrontendLogger({ name, tls: p.binds.some((b) => b.ssl), cookieBackends }, settings, targets, shared));
  }
  const disabled = new Map<string, FrontendLogger>();
  return {
    frontend(name) {
      const l = loggers.get(name);
      if (l) return l;
      let d = disabled.get(name);
      if (!d) {
        d = createFrontendLogger({ name, tls: false, cookieBackends }, emptySettings(), [], shared);
        disabled.set(name, d);
      }
      return d;
    },
    problems,
    warnings,
    globalTargets: global,
    close: () => sinks.close(),
  };
}

function hasCookie(p: ProxyModel): boolean {
  for (let q: ProxyModel | undefined = p; q; q = q.defaults) {
    for (let i = q.statements.length - 1; i >= 0; i--) {
      const s = q.statements[i]!;
      if (s.keyword === 'cookie' && s.line.active) return !s.modifier;
    }
  }
  return false;
}

function countsAt(fe: string, ctx: StreamContext, provider: LoggingOptions['counts']): ConnectionCounts {
  const given = provider?.(fe, ctx) ?? {};
  const rt = ctx.runtime;
  let beconn = given.beconn;
  if (beconn === undefined) {
    beconn = 0;
    const be = ctx.backend !== undefined ? rt?.backend(ctx.backend) : undefined;
    if (be) for (const s of be.servers) beconn += s.served;
  }
  const srvConn = given.srvConn ?? (ctx.backend !== undefined && ctx.server !== undefined ? rt?.serverState(ctx.backend, ctx.server)?.served ?? 0 : 0);
  return { actconn: given.actconn ?? 1, feconn: given.feconn ?? 1, beconn, srvConn };
}

function emptySettings(): ReturnType<typeof frontendLogSettings> {
  return {
    http: true, dontlognull: false, dontlogNormal: false, separateErrors: false, logasap: false, ignoreProbes: false,
    requestCaptures: [], responseCaptures: [], warnings: [],
  };
}
