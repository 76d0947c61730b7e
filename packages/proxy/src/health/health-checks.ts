// startHealthChecks: checks every server with `check` in every backend, and moves it in and out
// of the balance rotation through the Runtime, printing HAProxy's notices. Servers start UP, go
// DOWN at their first failure, then need `rise` successes to come back and `fall` failures to go
// again (health-state.ts). An operator's MAINT wins over the checks; a DRAIN set by an operator
// comes back as DRAIN (not UP) after a DOWN spell.
import type { ServerModel } from '@haplo/parser';
import type { Pipeline, SimRuntime } from '@haplo/sim';
import type { ServerTls } from '../tls/server-tls.js';
import { netConnector, type Connector } from '../upstream/connector.js';
import { checkConfigs, type CheckConfig } from './check-config.js';
import type { ProbeResult } from './check-probe.js';
import { downNotice, noServerAlert, stderrLogger, upNotice, type BackendCounts, type HealthLogger } from './notices.js';
import { ServerCheck, type ServerCheckState } from './server-check.js';

export interface HealthCheckOptions {
  /** Opens check connections (tests inject one). Default: net.connect. */
  connector?: Connector;
  /** Where the state-change notices go. Default: stderr, HAProxy's layout. */
  logger?: HealthLogger;
  /**
   * Delay before a server's first check. Default HAProxy's spread (check.c start_checks): the
   * position-th of `count` checks starts at interval * position / count, where interval is the
   * smallest one of at least 1 s among all checks, or the server's own if longer.
   */
  startDelay?: (position: number, count: number, interval: number) => number;
  /** Clock for the stats' timestamps (default Date.now). */
  now?: () => number;
  /** Called after each state change the checks make (for logs or the operations layer). */
  onChange?: (state: ServerCheckState, result: ProbeResult) => void;
  /** The servers' loaded TLS settings, for checks over TLS (`ssl`, `check-ssl`). */
  tls?: ReadonlyMap<ServerModel, ServerTls>;
  /** Servers the previous configuration's checks had DOWN (a reload): they need `rise` passes. */
  startsDown?: (backend: string, server: string) => boolean;
}

export interface HealthChecks {
  /** The check state of a server, if it is checked. */
  state(backend: string, server: string): ServerCheckState | undefined;
  /** Every checked server, in configuration order. */
  states(): ServerCheckState[];
  /** Stops every timer and aborts running checks. */
  stop(): void;
}

/** HAProxy's SRV_CHK_INTER_THRES: shorter intervals do not stretch the others' start spread. */
const SPREAD_THRESHOLD = 1000;

function counts(runtime: SimRuntime, backend: string, server: string): BackendCounts {
  const be = runtime.backend(backend);
  let active = 0;
  let backup = 0;
  for (const s of be?.servers ?? []) {
    if (s.status !== 'UP' || s.weight <= 0) continue;
    if (s.backup) backup++;
    else active++;
  }
  return { active, backup, sessions: runtime.serverState(backend, server)?.served ?? 0 };
}

export function startHealthChecks(pipeline: Pipeline, runtime: SimRuntime, options: HealthCheckOptions = {}): HealthChecks {
  const connector = options.connector ?? netConnector;
  const log = options.logger ?? stderrLogger;
  const now = options.now ?? Date.now;
  const configs: CheckConfig[] = [];
  for (const proxy of pipeline.backends.values()) configs.push(...checkConfigs(proxy.model, options.tls));
  const drained = new Set<ServerCheck>();

  const onTransition = (check: ServerCheck, t: 'up' | 'down', r: ProbeResult): void => {
    const { backend, server, backup } = check.config;
    const current = runtime.serverState(backend, server)?.status;
    if (current === undefined || current === 'MAINT') return;
    if (t === 'down') {
      if (current === 'DRAIN') drained.add(check);
      runtime.setServerState(backend, server, 'DOWN');
      const c = counts(runtime, backend, server);
      log('WARNING', downNotice(backend, server, backup, r, c));
      if (c.active + c.backup === 0) log('ALERT', noServerAlert(backend));
    } else {
      runtime.setServerState(backend, server, drained.delete(check) ? 'DRAIN' : 'UP');
      log('WARNING', upNotice(backend, server, backup, r, counts(runtime, backend, server)));
    }
    options.onChange?.(check.stats, r);
  };

  const checks = configs.map((c) => new ServerCheck(c, connector, now, onTransition));
  for (const c of checks) if (options.startsDown?.(c.config.backend, c.config.server)) c.startDown();
  let minInter = 0;
  for (const c of checks) {
    const i = c.interval();
    if (i >= SPREAD_THRESHOLD && (!minInter || i < minInter)) minInter = i;
  }
  const startDelay = options.startDelay ?? ((position, count, interval) => Math.floor((interval * position) / count));
  checks.forEach((c, position) => c.schedule(startDelay(position, checks.length, Math.max(minInter, c.interval()))));

  const byKey = new Map(checks.map((c) => [`${c.config.backend}/${c.config.server}`, c]));
  return {
    state: (backend, server) => byKey.get(`${backend}/${server}`)?.stats,
    states: () => checks.map((c) => c.stats),
    stop() {
      for (const c of checks) c.stop();
    },
  };
}
