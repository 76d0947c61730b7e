// The checks of one server: runs a probe every interval, keeps the health counter and the last
// result, and tells its owner when the server goes DOWN or comes back UP.
import type { Connector } from '../upstream/connector.js';
import { errorText } from '../upstream/failures.js';
import { resolveTarget } from '../upstream/server-target.js';
import type { CheckConfig } from './check-config.js';
import { runProbe, type CheckStatus, type ProbeResult } from './check-probe.js';
import { CheckHealth, type Transition } from './health-state.js';

/** What the stats (and the operations commands) can read about a server's checks. */
export interface ServerCheckState {
  backend: string;
  server: string;
  /** false for `disabled` servers (kept in MAINT, not checked) and after stop(). */
  running: boolean;
  /** What the checks say (the Runtime may hold MAINT or DRAIN on top). */
  state: 'UP' | 'DOWN';
  health: number;
  rise: number;
  fall: number;
  /** The last check's outcome, once one ran. */
  last?: { status: CheckStatus; code?: number; info?: string; durationMs: number; at: number };
  /** When the checks last changed the state (ms, the clock given; the start time before any change). */
  lastChangeAt: number;
  checks: number;
  failedChecks: number;
  /** Times the checks took the server DOWN. */
  downs: number;
}

export class ServerCheck {
  readonly health: CheckHealth;
  readonly stats: ServerCheckState;
  private timer: NodeJS.Timeout | undefined;
  private abortProbe: (() => void) | undefined;
  private stopped = false;

  constructor(
    readonly config: CheckConfig,
    private readonly connector: Connector,
    private readonly now: () => number,
    private readonly onTransition: (check: ServerCheck, t: Exclude<Transition, undefined>, r: ProbeResult) => void,
  ) {
    this.health = new CheckHealth(config.rise, config.fall, config.disabled);
    this.stats = {
      backend: config.backend,
      server: config.server,
      running: !config.disabled,
      state: this.health.up ? 'UP' : 'DOWN',
      health: this.health.health,
      rise: config.rise,
      fall: config.fall,
      lastChangeAt: now(),
      checks: 0,
      failedChecks: 0,
      downs: 0,
    };
  }

  /** Starts from DOWN (health 0) instead of `rise`: the state carried over by a reload. */
  startDown(): void {
    this.health.health = 0;
    this.stats.health = 0;
    this.stats.state = 'DOWN';
  }

  /** The interval HAProxy would wait now (srv_getinter). */
  interval(): number {
    const c = this.config;
    return this.health.interval(c.inter, c.fastinter, c.downinter);
  }

  schedule(delay: number): void {
    if (this.stopped || this.config.disabled) return;
    this.timer = setTimeout(runCheck, delay, this);
    this.timer.unref();
  }

  run(): void {
    this.timer = undefined;
    if (this.stopped) return;
    const c = this.config;
    const target = c.target.target;
    if (!target && c.target.pending) {
      // A host name: resolved once (libc, like HAProxy at start-up), then checked.
      resolveTarget(c.target, (err) => {
        if (this.stopped) return;
        if (err) this.finish({ pass: false, status: 'SOCKERR', info: errorText(err), durationMs: 0 });
        else this.run();
      });
      return;
    }
    if (!target) {
      // Unresolvable or unsupported address: a socket error each time, as no connect can start.
      this.finish({ pass: false, status: 'SOCKERR', info: c.target.unusable ?? 'no address', durationMs: 0 });
      return;
    }
    this.abortProbe = runProbe({ target, inter: c.inter, connectTimeout: c.connectTimeout, checkTimeout: c.checkTimeout, http: c.http, transport: c.transport }, this.connector, (r) => {
      this.abortProbe = undefined;
      this.finish(r);
    });
  }

  private finish(r: ProbeResult): void {
    if (this.stopped) return;
    const s = this.stats;
    s.checks++;
    if (!r.pass) s.failedChecks++;
    s.last = { status: r.status, code: r.code, info: r.info, durationMs: r.durationMs, at: this.now() };
    const t = this.health.record(r.pass);
    s.health = this.health.health;
    if (t) {
      s.state = t === 'up' ? 'UP' : 'DOWN';
      s.lastChangeAt = this.now();
      if (t === 'down') s.downs++;
      this.onTransition(this, t, r);
    }
    this.schedule(this.interval());
  }

  stop(): void {
    this.stopped = true;
    this.stats.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.abortProbe?.();
    this.abortProbe = undefined;
  }
}

function runCheck(c: ServerCheck): void {
  c.run();
}
