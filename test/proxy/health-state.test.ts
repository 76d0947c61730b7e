// The rise/fall counter on its own: HAProxy's transitions and intervals, result by result.
import { describe, expect, it } from 'vitest';
import { CheckHealth } from '../../packages/proxy/src/health/health-state.js';
import { haproxyLine } from '../../packages/proxy/src/health/notices.js';

function run(h: CheckHealth, results: string): string[] {
  return [...results].map((r) => h.record(r === '+') ?? '-');
}

describe('check health counter', () => {
  it('starts UP and goes DOWN at the first failure', () => {
    const h = new CheckHealth(2, 3);
    expect(h.up).toBe(true);
    expect(run(h, '-')).toEqual(['down']);
  });

  it('needs rise successes to come back and fall failures to go again', () => {
    const h = new CheckHealth(2, 3);
    expect(run(h, '-++---')).toEqual(['down', '-', 'up', '-', '-', 'down']);
  });

  it('a success from the start fills the counter', () => {
    const h = new CheckHealth(3, 2);
    expect(run(h, '+--')).toEqual(['-', '-', 'down']);
  });

  it('flapping: failures and successes that never line up keep the state', () => {
    const h = new CheckHealth(2, 2);
    expect(run(h, '+-++--+-++')).toEqual(['-', '-', '-', '-', '-', 'down', '-', '-', '-', 'up']);
  });

  it('waits inter when steady, fastinter while changing, downinter when DOWN', () => {
    const h = new CheckHealth(2, 3);
    expect(h.interval(1000, 100, 5000)).toBe(100); // just started: health = rise
    h.record(true);
    expect(h.interval(1000, 100, 5000)).toBe(1000);
    h.record(false);
    expect(h.interval(1000, 100, 5000)).toBe(100);
    h.record(false);
    h.record(false);
    expect(h.up).toBe(false);
    expect(h.interval(1000, 100, 5000)).toBe(5000);
    expect(h.interval(1000, undefined, undefined)).toBe(1000);
  });

  it('reports progress like HAProxy\'s status N/M', () => {
    const h = new CheckHealth(2, 3);
    h.record(true);
    expect(h.progress()).toEqual({ value: 3, of: 3 });
    h.record(false);
    expect(h.progress()).toEqual({ value: 2, of: 3 });
  });

  it('prints lines in HAProxy\'s layout', () => {
    expect(haproxyLine('WARNING', 'x', 42)).toBe('[WARNING]  (42) : x');
    expect(haproxyLine('ALERT', 'x', 42)).toBe('[ALERT]    (42) : x');
  });
});
