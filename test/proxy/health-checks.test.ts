// Health checks against loopback origins: TCP and HTTP checks, DOWN after `fall` failures and
// UP after `rise` successes through the Runtime, HAProxy's notices, timeouts, check port.
import { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startHealthChecks, type HealthChecks, type NoticeLevel } from '../../packages/proxy/src/health/index.js';
import { closedPort, pipelineOf, startOrigin, until, type Origin } from './upstream-helpers.js';

function config(backend: string[], servers: string[]): string {
  return ['defaults', '  mode http', '  timeout connect 200ms', 'backend be', ...backend.map((l) => '  ' + l), ...servers.map((s) => '  ' + s), ''].join('\n');
}

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nready';
const FAIL = 'HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n';

describe('health checks', () => {
  let checks: HealthChecks | undefined;
  const origins: Origin[] = [];
  let notices: { level: NoticeLevel; message: string }[] = [];
  const logger = (level: NoticeLevel, message: string) => void notices.push({ level, message });
  afterEach(async () => {
    checks?.stop();
    checks = undefined;
    await Promise.all(origins.splice(0).map((o) => o.close()));
    notices = [];
  });

  it('marks a server DOWN after `fall` failed TCP checks and UP after `rise` good ones', async () => {
    const origin = await startOrigin();
    origins.push(origin);
    const port = origin.port;
    const { pipeline, runtime } = pipelineOf(config([], [`server s1 127.0.0.1:${port} check inter 20ms rise 2 fall 3`]));
    // What the origin had seen when each change was made (polling could be a check late).
    let current: Origin = origin;
    const atChange: { state: string; failed: number; accepted: number }[] = [];
    checks = startHealthChecks(pipeline, runtime, { logger, startDelay: () => 0, onChange: (s) => atChange.push({ state: s.state, failed: s.failedChecks, accepted: current.accepted }) });
    await until(() => checks!.state('be', 's1')!.checks >= 2, 5000, 'two checks');
    expect(runtime.serverState('be', 's1')!.status).toBe('UP');
    expect(origin.accepted).toBeGreaterThanOrEqual(2);

    await origin.close();
    origins.pop();
    const before = checks.state('be', 's1')!.failedChecks;
    await until(() => runtime.serverState('be', 's1')!.status === 'DOWN', 5000, 'DOWN');
    expect(atChange[0]!.failed - before).toBe(3);
    expect(notices[0]).toEqual({
      level: 'WARNING',
      message: expect.stringMatching(/^Server be\/s1 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: \d+ms\. 0 active and 0 backup servers left\. 0 sessions active, 0 requeued, 0 remaining in queue\.$/),
    });
    expect(notices[1]).toEqual({ level: 'ALERT', message: "backend 'be' has no server available!" });

    const again = await startOrigin(undefined, port);
    current = again;
    origins.push(again);
    const checksBefore = checks.state('be', 's1')!.checks;
    await until(() => runtime.serverState('be', 's1')!.status === 'UP', 5000, 'UP');
    const st = checks.state('be', 's1')!;
    // The check that found the port open again may be the first or the second after the restart.
    expect(st.checks - checksBefore).toBeGreaterThanOrEqual(2);
    expect(atChange[1]).toMatchObject({ state: 'UP', accepted: 2 });
    expect(notices[2]!.message).toMatch(/^Server be\/s1 is UP, reason: Layer4 check passed, check duration: \d+ms\. 1 active and 0 backup servers online\. 0 sessions requeued, 0 total in queue\.$/);
    expect(st).toMatchObject({ state: 'UP', downs: 1, last: { status: 'L4OK' } });
  });

  it('takes an unreachable server DOWN at its first failed check', async () => {
    const port = await closedPort();
    const { pipeline, runtime } = pipelineOf(config([], [`server s1 127.0.0.1:${port} check inter 20ms fall 3`, `server s2 127.0.0.1:${port} backup check inter 20ms`]));
    const downAt: number[] = [];
    checks = startHealthChecks(pipeline, runtime, { logger, startDelay: (i) => i * 5, onChange: (s) => downAt.push(s.checks) });
    await until(() => notices.length >= 3, 5000, 'notices');
    expect(downAt).toEqual([1, 1]);
    expect(notices.map((n) => n.message)).toEqual([
      expect.stringMatching(/^Server be\/s1 is DOWN, .* 0 active and 1 backup servers left\. Running on backup\. 0 sessions active/),
      expect.stringMatching(/^Backup Server be\/s2 is DOWN, /),
      "backend 'be' has no server available!",
    ]);
  });

  it('option httpchk: OPTIONS / HTTP/1.0, and a 5xx is a wrong status', async () => {
    const heads: string[] = [];
    const origin = await startOrigin((head) => (heads.push(head), FAIL));
    origins.push(origin);
    const { pipeline, runtime } = pipelineOf(config(['option httpchk'], [`server s1 127.0.0.1:${origin.port} check inter 20ms`]));
    checks = startHealthChecks(pipeline, runtime, { logger, startDelay: () => 0 });
    await until(() => runtime.serverState('be', 's1')!.status === 'DOWN', 5000, 'DOWN');
    expect(heads[0]).toBe('OPTIONS / HTTP/1.0');
    expect(notices[0]!.message).toMatch(/^Server be\/s1 is DOWN, reason: Layer7 wrong status, code: 500, info: "Internal Server Error", check duration: \d+ms\./);
  });

  it('http-check send and expect string: request as written, body matched', async () => {
    const heads: string[] = [];
    let body = 'ready';
    const origin = await startOrigin((head) => (heads.push(head), `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`));
    origins.push(origin);
    const { pipeline, runtime } = pipelineOf(config(['option httpchk', 'http-check send meth GET uri /health ver HTTP/1.1 hdr Host example.com', 'http-check expect string ready'],
      [`server s1 127.0.0.1:${origin.port} check inter 20ms rise 1`]));
    checks = startHealthChecks(pipeline, runtime, { logger, startDelay: () => 0 });
    await until(() => checks!.state('be', 's1')!.checks >= 1, 5000, 'a check');
    expect(heads[0]).toBe('GET /health HTTP/1.1\r\nhost: example.com\r\nconnection: close');
    expect(runtime.serverState('be', 's1')!.status).toBe('UP');
    body = 'starting';
    await until(() => runtime.serverState('be', 's1')!.status === 'DOWN', 5000, 'DOWN');
    expect(notices[0]!.message).toMatch(/reason: Layer7 invalid response, info: "HTTP content check did not match", check duration/);
    body = 'ready';
    await until(() => runtime.serverState('be', 's1')!.status === 'UP', 5000, 'UP');
    expect(notices[2]!.message).toMatch(/^Server be\/s1 is UP, reason: Layer7 check passed, code: 200, check duration: \d+ms\./);
  });

  it('http-check expect status and its negation', async () => {
    const origin = await startOrigin(() => 'HTTP/1.1 204 No Content\r\n\r\n');
    origins.push(origin);
    const { pipeline, runtime } = pipelineOf([
      'defaults', '  mode http', '  timeout connect 200ms',
      'backend a', '  option httpchk GET /', '  http-check expect status 204', `  server s1 127.0.0.1:${origin.port} check inter 20ms`,
      'backend b', '  option httpchk GET /', '  http-check expect ! status 200-299', `  server s1 127.0.0.1:${origin.port} check inter 20ms`,
      'backend c', '  option httpchk GET /', '  http-check expect rstatus ^3', `  server s1 127.0.0.1:${origin.port} check inter 20ms`, ''].join('\n'));
    checks = startHealthChecks(pipeline, runtime, { logger, startDelay: () => 0 });
    await until(() => checks!.states().every((s) => s.checks >= 2), 5000, 'checks');
    expect(checks.states().map((s) => `${s.backend}:${s.state}`)).toEqual(['a:UP', 'b:DOWN', 'c:DOWN']);
    expect(checks.state('b', 's1')!.last).toMatchObject({ status: 'L7STS', code: 204, info: 'No Content' });
  });

  it('a check with no answer ends in Layer7 timeout after timeout check', async () => {
    const origin = await startOrigin(() => null);
    origins.push(origin);
    const { pipeline, runtime } = pipelineOf(config(['option httpchk', 'timeout check 30ms'], [`server s1 127.0.0.1:${origin.port} check inter 1s`]));
    checks = startHealthChecks(pipeline, runtime, { logger, startDelay: () => 0 });
    await until(() => runtime.serverState('be', 's1')!.status === 'DOWN', 5000, 'DOWN');
    expect(notices[0]!.message).toMatch(/reason: Layer7 timeout, check duration: \d+ms\./);
  });

  it('a connect that never completes ends in Layer4 timeout', async () => {
    const { pipeline, runtime } = pipelineOf(config(['timeout check 1s'], ['server s1 127.0.0.1:32995 check inter 1s']));
    // timeout check set: the connect is bounded by min(inter, timeout connect) = 200 ms.
    checks = startHealthChecks(pipeline, runtime, { logger, startDelay: () => 0, connector: () => new Socket() });
    await until(() => runtime.serverState('be', 's1')!.status === 'DOWN', 5000, 'DOWN');
    expect(notices[0]!.message).toMatch(/reason: Layer4 timeout, check duration: \d+ms\./);
    expect(checks.state('be', 's1')!.last!.durationMs).toBeGreaterThanOrEqual(150);
  });

  it('checks the `port` given instead of the server port', async () => {
    const origin = await startOrigin();
    origins.push(origin);
    const dead = await closedPort();
    const { pipeline, runtime } = pipelineOf(config([], [`server s1 127.0.0.1:${dead} check port ${origin.port} inter 20ms`]));
    checks = startHealthChecks(pipeline, runtime, { logger, startDelay: () => 0 });
    await until(() => checks!.state('be', 's1')!.checks >= 2, 5000, 'checks');
    expect(runtime.serverState('be', 's1')!.status).toBe('UP');
    expect(origin.accepted).toBeGreaterThanOrEqual(2);
  });

  it('a flapping server changes state only when rise or fall results line up', async () => {
    // Results in order: + - + + - - + - + +  (rise 2, fall 2): DOWN at the 6th, UP at the 10th.
    const plan = '+-++--+-++';
    let n = 0;
    const origin = await startOrigin(() => (plan[n++] === '-' ? FAIL : OK));
    origins.push(origin);
    const { pipeline, runtime } = pipelineOf(config(['option httpchk'], [`server s1 127.0.0.1:${origin.port} check inter 15ms rise 2 fall 2`]));
    const changes: string[] = [];
    checks = startHealthChecks(pipeline, runtime, { logger, startDelay: () => 0, onChange: (s) => changes.push(`${s.state}@${s.checks}`) });
    await until(() => checks!.state('be', 's1')!.checks >= plan.length, 5000, 'the planned checks');
    checks.stop();
    expect(changes).toEqual(['DOWN@6', 'UP@10']);
    expect(runtime.serverState('be', 's1')!.status).toBe('UP');
  });

  it('leaves disabled servers in MAINT and does not check them', async () => {
    const origin = await startOrigin();
    origins.push(origin);
    const { pipeline, runtime } = pipelineOf(config([], [`server s1 127.0.0.1:${origin.port} check inter 10ms disabled`]));
    checks = startHealthChecks(pipeline, runtime, { logger, startDelay: () => 0 });
    await new Promise((r) => setTimeout(r, 60));
    expect(origin.accepted).toBe(0);
    expect(runtime.serverState('be', 's1')!.status).toBe('MAINT');
    expect(checks.state('be', 's1')!.running).toBe(false);
  });

  it('an operator\'s MAINT wins over the checks', async () => {
    const port = await closedPort();
    const { pipeline, runtime } = pipelineOf(config([], [`server s1 127.0.0.1:${port} check inter 10ms`]));
    runtime.setServerState('be', 's1', 'MAINT');
    checks = startHealthChecks(pipeline, runtime, { logger, startDelay: () => 0 });
    await until(() => checks!.state('be', 's1')!.checks >= 2, 5000, 'checks');
    expect(runtime.serverState('be', 's1')!.status).toBe('MAINT');
    expect(notices).toEqual([]);
  });

  it('stop() ends the checks', async () => {
    const origin = await startOrigin();
    origins.push(origin);
    const { pipeline, runtime } = pipelineOf(config([], [`server s1 127.0.0.1:${origin.port} check inter 10ms`]));
    checks = startHealthChecks(pipeline, runtime, { logger, startDelay: () => 0 });
    await until(() => origin.accepted >= 1, 5000, 'a check');
    checks.stop();
    const seen = origin.accepted;
    await new Promise((r) => setTimeout(r, 60));
    expect(origin.accepted).toBe(seen);
  });
});
