// A reload under load: wrk (or, without it, a Node keep-alive client loop) sends requests through
// `haplo run` on 30 keep-alive connections for ~3 s while the configuration is reloaded 5 times.
// Every request must succeed: no socket error, no non-2xx. Kept listeners never refuse a connect,
// and keep-alive connections move to the new configuration between requests instead of being
// closed (HAProxy 2.6 master-worker closes them, and a client that sends on a connection as it
// closes sees an error: 19 of 162,000 requests failed in the same setup).
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portOpen, startHaploRun, type RunningHaplo } from '../support/haplo-run.js';
import { sleep } from './run-harness.js';
import { portsInRange, startEchoOrigin, waitForText, type EchoOrigin } from './run-signal-helpers.js';

const CONNECTIONS = 30;
const SECONDS = 3;
const RELOADS = 5;

let origin: EchoOrigin;
let haplo: RunningHaplo | undefined;
let port: number;

const config = (gen: number): string => `global
    maxconn 1000
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    timeout http-keep-alive 30s
frontend fe
    bind 127.0.0.1:${port}
    http-request set-header x-gen ${gen}
    default_backend be
backend be
    server o1 127.0.0.1:${origin.port}
`;

interface Load {
  tool: string;
  requests: number;
  failures: number;
  detail: string;
}

/** wrk when installed; HAPLO_TEST_NO_WRK=1 forces the Node loop. */
const hasWrk = (): boolean => !process.env.HAPLO_TEST_NO_WRK && spawnSync('wrk', ['--version'], { encoding: 'utf8' }).error === undefined;

function runWrk(url: string): Promise<Load> {
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${SECONDS}s`, url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const kill = setTimeout(() => child.kill('SIGKILL'), (SECONDS + 10) * 1000);
    child.on('error', reject);
    child.on('exit', () => {
      clearTimeout(kill);
      const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN);
      const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
      const socketErrors = errors ? errors.slice(1).reduce((n, x) => n + Number(x), 0) : 0;
      const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
      if (!Number.isFinite(requests)) reject(new Error(`unreadable wrk report:\n${out}`));
      else resolve({ tool: 'wrk', requests, failures: socketErrors + non2xx, detail: out });
    });
  });
}

/** The fallback: CONNECTIONS loops of keep-alive GETs through one Agent. */
async function runNodeLoop(url: string): Promise<Load> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const end = Date.now() + SECONDS * 1000;
  let requests = 0;
  let failures = 0;
  const errors: string[] = [];
  const one = (): Promise<void> => new Promise((resolve) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => {
        requests++;
        if (res.statusCode === undefined || res.statusCode >= 300) failures++;
        resolve();
      });
    });
    req.on('error', (e) => {
      requests++;
      failures++;
      if (errors.length < 5) errors.push(e.message);
      resolve();
    });
    req.end();
  });
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (Date.now() < end) await one();
  }));
  agent.destroy();
  return { tool: 'node keep-alive loop', requests, failures, detail: errors.join('\n') };
}

beforeAll(async () => {
  const [o, p] = await portsInRange(2);
  origin = await startEchoOrigin(o!);
  port = p!;
});

afterAll(async () => {
  await haplo?.stop();
  await origin?.close();
});

describe('haplo run: reload under load', () => {
  it(`loses no request over ${RELOADS} reloads with ${CONNECTIONS} keep-alive connections`, async () => {
    haplo = await startHaploRun(config(1), [port]);
    const h = haplo;
    const url = `http://127.0.0.1:${port}/`;
    const load = hasWrk() ? runWrk(url) : runNodeLoop(url);
    // Beside the load, new connections keep coming: the kept listener must never refuse one.
    let probing = true;
    const probes = { made: 0, refused: 0 };
    const probe = (async () => {
      while (probing) {
        probes.made++;
        if (!(await portOpen(port))) probes.refused++;
        await sleep(5);
      }
    })();
    await sleep(300);
    for (let gen = 2; gen <= RELOADS + 1; gen++) {
      writeFileSync(h.configFile, config(gen));
      h.child.kill('SIGHUP');
      await waitForText(() => h.stderr(), `reloaded configuration (generation ${gen})`);
      await sleep(350);
    }
    const r = await load;
    probing = false;
    await probe;
    expect(probes.made).toBeGreaterThan(0);
    expect(probes.refused).toBe(0);
    console.log(`reload under load (${r.tool}): ${r.requests} requests, ${r.failures} failed, ${RELOADS} reloads`);
    expect(r.requests).toBeGreaterThan(0);
    expect(r.failures, r.detail).toBe(0);
    // Requests were served by the last configuration at the end.
    expect(origin.seen.at(-1)?.gen).toBe(String(RELOADS + 1));
    expect(h.stderr()).not.toMatch(/unexpected error|internal error/);
  });
});
