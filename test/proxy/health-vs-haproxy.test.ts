// Differential: haplo's health checks against HAProxy 2.6's under the same settings. Both check
// the same kind of loopback origins (one that fails from the start, one that is healthy, then
// fails, then recovers); for each engine we count the check responses each origin gave before
// each state-change notice, and compare the notices themselves (durations aside).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startHealthChecks } from '../../packages/proxy/src/health/index.js';
import { hasHaproxy } from '../support/haproxy.js';
import { pipelineOf, startOrigin, until, type Origin } from './upstream-helpers.js';

const present = hasHaproxy();
const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n';
const FAIL = 'HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n';

interface Notice {
  level: string;
  message: string;
}

/** An origin whose answer can be switched, counting the answers of each kind. */
async function switchable(failing: boolean): Promise<Origin & { failing: boolean; passes: number; fails: number }> {
  let self: Origin & { failing: boolean; passes: number; fails: number };
  const origin = await startOrigin(() => {
    if (self.failing) self.fails++;
    else self.passes++;
    return self.failing ? FAIL : OK;
  });
  self = Object.assign(origin, { failing, passes: 0, fails: 0 });
  return self;
}

function configText(aPort: number, bPort: number, socket?: string): string {
  return [
    ...(socket ? ['global', `  stats socket ${socket}`] : []),
    'defaults', '  mode http', '  timeout connect 500ms', '  timeout client 5s', '  timeout server 5s',
    'backend a', '  option httpchk GET /health', `  server sa 127.0.0.1:${aPort} check inter 100ms rise 3 fall 2`,
    'backend b', '  option httpchk GET /health', `  server sb 127.0.0.1:${bPort} check inter 100ms rise 3 fall 2`, '',
  ].join('\n');
}

interface Engine {
  notices: Notice[];
  stop(): void;
}

function runHaproxy(aPort: number, bPort: number, onNotice: (n: Notice) => void): Engine & { dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'haplo-health-'));
  const cfg = join(dir, 'h.cfg');
  // A stats socket is the only listener: no TCP port needed.
  writeFileSync(cfg, configText(aPort, bPort, join(dir, 'stats.sock')));
  const notices: Notice[] = [];
  const child: ChildProcess = spawn('haproxy', ['-db', '-f', cfg], { stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin' } });
  let pending = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    pending += d;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      const m = /^\[(WARNING|ALERT)\]\s*\(\d+\) : (.*)$/.exec(line);
      if (!m || !/ is (UP|DOWN)|has no server available/.test(m[2]!)) continue;
      const n = { level: m[1]!, message: m[2]! };
      notices.push(n);
      onNotice(n);
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return {
    dir,
    notices,
    stop() {
      clearTimeout(timer);
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function runHaplo(aPort: number, bPort: number, onNotice: (n: Notice) => void): Engine {
  const { pipeline, runtime } = pipelineOf(configText(aPort, bPort));
  const notices: Notice[] = [];
  const checks = startHealthChecks(pipeline, runtime, {
    logger: (level, message) => {
      const n = { level, message };
      notices.push(n);
      onNotice(n);
    },
  });
  return { notices, stop: () => checks.stop() };
}

interface Observed {
  /** Failed answers of the origin failing from the start, when its DOWN notice came. */
  failsBeforeFirstDown: number;
  /** Failed answers after the healthy origin started failing, when its DOWN notice came. */
  failsBeforeDown: number;
  /** Good answers after it recovered, when its UP notice came. */
  passesBeforeUp: number;
  notices: string[];
}

async function observe(start: (aPort: number, bPort: number, onNotice: (n: Notice) => void) => Engine): Promise<Observed> {
  const a = await switchable(false);
  const b = await switchable(true);
  const seen: Record<string, number> = {};
  const engine = start(a.port, b.port, (n) => {
    if (n.message.startsWith('Server b/sb is DOWN')) seen.bDown = b.fails;
    if (n.message.startsWith('Server a/sa is DOWN')) seen.aDown = a.fails;
    if (n.message.startsWith('Server a/sa is UP')) seen.aUp = a.passes;
  });
  try {
    await until(() => seen.bDown !== undefined && a.passes >= 3, 10_000, 'the first checks');
    a.fails = 0;
    a.failing = true;
    await until(() => seen.aDown !== undefined, 10_000, 'a/sa DOWN');
    a.passes = 0;
    a.failing = false;
    await until(() => seen.aUp !== undefined, 10_000, 'a/sa UP');
    return {
      failsBeforeFirstDown: seen.bDown!,
      failsBeforeDown: seen.aDown!,
      passesBeforeUp: seen.aUp!,
      notices: engine.notices.map((n) => `[${n.level}] ${n.message.replace(/check duration: \d+ms/, 'check duration: Nms')}`),
    };
  } finally {
    engine.stop();
    await a.close();
    await b.close();
  }
}

describe.skipIf(!present)('differential: health checks vs HAProxy 2.6', () => {
  it('marks servers DOWN and UP after the same checks, with the same notices', async () => {
    const haproxy = await observe(runHaproxy);
    const haplo = await observe(runHaplo);
    // What HAProxy does with rise 3 fall 2: DOWN at the first failure from the start, then after
    // 2 failures once fully UP, UP again after 3 successes.
    expect(haproxy).toMatchObject({ failsBeforeFirstDown: 1, failsBeforeDown: 2, passesBeforeUp: 3 });
    expect(haplo).toEqual(haproxy);
  });
});

describe.skipIf(present)('differential: health checks vs HAProxy 2.6', () => {
  it('is skipped: no `haproxy` binary on PATH', () => {
    console.warn('health-vs-haproxy: skipped, the haproxy binary (2.6) is not installed');
  });
});
