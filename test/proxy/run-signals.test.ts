// `haplo run` and the stop signals, as HAProxy 2.6 answers them (management.txt §4): SIGTERM
// (and SIGINT) stop at once, every connection closed; SIGUSR1 stops listening but lets requests
// in flight finish (their response says `connection: close`, idle keep-alive connections are
// closed), bounded by `hard-stop-after`. Both exit with status 0 (HAProxy dies by SIGTERM).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { portOpen, startHaploRun, type RunningHaplo } from '../support/haplo-run.js';
import { header, parseResponses, RawClient, sleep } from './run-harness.js';
import { exitOf, get, portsInRange, startEchoOrigin, waitForText, type EchoOrigin } from './run-signal-helpers.js';

let origin: EchoOrigin;
let haplo: RunningHaplo | undefined;
let proxyPort: number;

const config = (extraGlobal = ''): string => `global
    maxconn 100
${extraGlobal}
defaults
    mode http
    timeout connect 2s
    timeout client 10s
    timeout server 10s
    timeout http-keep-alive 10s
frontend fe
    bind 127.0.0.1:${proxyPort}
    default_backend be
backend be
    server o1 127.0.0.1:${origin.port}
`;

/** A connection with a request whose answer the origin holds for `ms`, once the origin has it. */
async function inFlight(ms: number): Promise<RawClient> {
  const c = new RawClient(proxyPort);
  await c.ready();
  const before = origin.seen.length;
  c.send(get(`/slow/${ms}`));
  await waitForText(() => (origin.seen.length > before ? 'seen' : ''), 'seen', 5000);
  return c;
}

/** A keep-alive connection that was served once and now sits idle. */
async function idleKeepAlive(): Promise<RawClient> {
  const c = new RawClient(proxyPort);
  await c.ready();
  c.send(get('/first'));
  await c.untilResponses(1);
  return c;
}

beforeAll(async () => {
  const [o, p] = await portsInRange(2);
  origin = await startEchoOrigin(o!);
  proxyPort = p!;
});

afterEach(async () => {
  await haplo?.stop();
  haplo = undefined;
});

afterAll(async () => {
  await origin?.close();
});

describe('haplo run: stop signals', () => {
  it('SIGTERM closes the listener and every connection at once, and exits 0', async () => {
    haplo = await startHaploRun(config(), [proxyPort]);
    const busy = await inFlight(3000);
    const idle = await idleKeepAlive();
    haplo.child.kill('SIGTERM');
    const exit = await exitOf(haplo.child);
    expect(exit).toEqual({ code: 0, signal: null });
    await busy.untilClosed(1000);
    await idle.untilClosed(1000);
    // The slow answer (3 s) never came: the connection was cut, not finished.
    expect(busy.text).toBe('');
    expect(await portOpen(proxyPort)).toBe(false);
    expect(haplo.stderr()).toContain('SIGTERM, stopping');
  });

  it('SIGINT stops like SIGTERM', async () => {
    haplo = await startHaploRun(config(), [proxyPort]);
    const busy = await inFlight(3000);
    haplo.child.kill('SIGINT');
    expect(await exitOf(haplo.child)).toEqual({ code: 0, signal: null });
    await busy.untilClosed(1000);
    expect(busy.text).toBe('');
  });

  it('SIGUSR1 refuses new connections, closes idle ones and lets a request in flight finish with connection: close', async () => {
    haplo = await startHaploRun(config(), [proxyPort]);
    const busy = await inFlight(300);
    const idle = await idleKeepAlive();
    haplo.child.kill('SIGUSR1');
    // The listener goes first: a new connect is refused while the slow request still runs.
    await waitForText(() => haplo!.stderr(), 'stopping softly');
    let refused = false;
    for (let i = 0; i < 20 && !refused; i++) {
      refused = !(await portOpen(proxyPort));
      if (!refused) await sleep(10);
    }
    expect(refused).toBe(true);
    await idle.untilClosed(2000);
    expect(parseResponses(idle.received)).toHaveLength(1);
    await busy.untilResponses(1, 3000);
    const [r] = parseResponses(busy.received);
    expect(r!.status).toBe(200);
    expect(r!.body.toString()).toBe('ok /slow/300');
    expect(header(r!, 'connection')).toBe('close');
    await busy.untilClosed(2000);
    expect(await exitOf(haplo.child)).toEqual({ code: 0, signal: null });
  });

  it('SIGUSR1 with hard-stop-after: a request still waiting for its response when it expires is cut with a 502', async () => {
    haplo = await startHaploRun(config('    hard-stop-after 200ms'), [proxyPort]);
    const quick = await inFlight(50);
    const long = await inFlight(3000);
    haplo.child.kill('SIGUSR1');
    await quick.untilResponses(1, 2000);
    expect(parseResponses(quick.received)[0]!.status).toBe(200);
    // HAProxy 2.6 (observed): "soft-stop running for too long, performing a hard-stop", and the
    // stream still waiting for the server gets a 502 before its connection closes.
    await long.untilClosed(2500);
    const [cut] = parseResponses(long.received);
    expect(cut?.status).toBe(502);
    expect(header(cut!, 'connection')).toBe('close');
    expect(long.text).not.toContain('ok /slow/3000');
    expect(await exitOf(haplo.child, 2500)).toEqual({ code: 0, signal: null });
    expect(haplo.stderr()).toContain('performing a hard-stop of generation 1: 1 connection closed');
  });
});
