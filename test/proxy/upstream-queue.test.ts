// The backend queue: streams that found every server at its maxconn wait in FIFO order, a freed
// slot wakes the head, `timeout queue` (else `timeout connect`) bounds the wait.
import { afterEach, describe, expect, it } from 'vitest';
import { createUpstreams, type PooledUpstreams } from '../../packages/proxy/src/upstream/index.js';
import { pipelineOf, sessionOn } from './upstream-helpers.js';

function config(lines: string[]): string {
  return ['defaults', '  mode http', 'frontend fe', '  bind 127.0.0.1:32999', '  default_backend be', 'backend be', ...lines.map((l) => '  ' + l),
    '  server s1 127.0.0.1:32990 maxconn 1', ''].join('\n');
}

describe('upstream backend queue', () => {
  let up: PooledUpstreams | undefined;
  afterEach(() => {
    up?.close();
    up = undefined;
  });

  it('wakes queued streams in arrival order as slots free', () => {
    const { pipeline, runtime } = pipelineOf(config(['timeout connect 5s']));
    up = createUpstreams(pipeline, runtime);
    const first = sessionOn(pipeline, runtime);
    expect(first.request()).toMatchObject({ kind: 'forward', server: 's1' });
    const order: string[] = [];
    const waiting = ['a', 'b', 'c'].map((name) => {
      const s = sessionOn(pipeline, runtime);
      expect(s.request().kind).toBe('queue');
      up!.enqueue('be', (slot) => {
        order.push(`${name}:${slot}`);
        // The woken stream chooses again and now holds the slot.
        expect(s.select()).toMatchObject({ kind: 'forward', server: 's1' });
      });
      return s;
    });
    expect(up.queued('be')).toBe(3);
    let holder = first;
    for (const next of waiting) {
      holder.end();
      up.slotFreed('be');
      holder = next;
    }
    expect(order).toEqual(['a:true', 'b:true', 'c:true']);
    expect(up.queued('be')).toBe(0);
  });

  it('answers false after timeout queue', async () => {
    const { pipeline, runtime } = pipelineOf(config(['timeout connect 5s', 'timeout queue 30ms']));
    up = createUpstreams(pipeline, runtime);
    const slot = await new Promise<boolean>((resolve) => up!.enqueue('be', resolve));
    expect(slot).toBe(false);
    expect(up.queued('be')).toBe(0);
  });

  it('falls back to timeout connect when timeout queue is not set', async () => {
    const { pipeline, runtime } = pipelineOf(config(['timeout connect 30ms']));
    up = createUpstreams(pipeline, runtime);
    expect(await new Promise<boolean>((resolve) => up!.enqueue('be', resolve))).toBe(false);
  });

  it('bounds the wait when neither timeout is set', async () => {
    const { pipeline, runtime } = pipelineOf(config([]));
    up = createUpstreams(pipeline, runtime, { unboundedQueueTimeoutMs: 20 });
    expect(await new Promise<boolean>((resolve) => up!.enqueue('be', resolve))).toBe(false);
  });

  it('skips cancelled waiters and expired ones', async () => {
    const { pipeline, runtime } = pipelineOf(config(['timeout queue 5s']));
    up = createUpstreams(pipeline, runtime);
    const calls: string[] = [];
    const cancelA = up.enqueue('be', (s) => calls.push(`a:${s}`));
    up.enqueue('be', (s) => calls.push(`b:${s}`));
    cancelA();
    expect(up.queued('be')).toBe(1);
    up.slotFreed('be');
    up.slotFreed('be');
    expect(calls).toEqual(['b:true']);
  });

  it('a freed slot with nobody waiting does nothing; close() forgets waiters', async () => {
    const { pipeline, runtime } = pipelineOf(config(['timeout queue 30ms']));
    up = createUpstreams(pipeline, runtime);
    up.slotFreed('be');
    let called = false;
    up.enqueue('be', () => (called = true));
    up.close();
    await new Promise((r) => setTimeout(r, 60));
    expect(called).toBe(false);
  });
});
