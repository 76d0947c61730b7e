// The Runtime: server states and ids, weights, connection counts, frequency counters.
import { describe, expect, it } from 'vitest';
import { createContext, createRuntime, newFreqCtr, readFreqCtr, updateFreqCtr } from '../../packages/sim/src/index.js';
import { model } from './helpers.js';

const cfg = ['backend be', '  server a 127.0.0.1:1 id 2', '  server b 127.0.0.1:2 disabled', '  server c 127.0.0.1:3 weight 5 maxconn 1', 'backend t', '  stick-table type ip size 1k'].join('\n') + '\n';

describe('Runtime', () => {
  it('numbers servers as the HAProxy loop does (the counter advances past explicit ids) and starts disabled ones in MAINT', () => {
    const rt = createRuntime(model(cfg));
    const be = rt.backend('be')!;
    expect(be.servers.map((s) => [s.name, s.id, s.status, s.weight])).toEqual([['a', 2, 'UP', 1], ['b', 3, 'MAINT', 1], ['c', 4, 'UP', 5]]);
    expect(rt.usableServers('be')).toBe(2);
    expect(rt.table('t')?.size).toBe(1024);
    expect(rt.table('be')).toBeUndefined();
  });

  it('changes states and weights, refusing unknown servers and bad weights', () => {
    const rt = createRuntime(model(cfg));
    expect(rt.setServerState('be', 'b', 'UP')).toBe(true);
    expect(rt.usableServers('be')).toBe(3);
    expect(rt.setServerState('be', 'zz', 'UP')).toBe(false);
    expect(rt.setWeight('be', 'a', 300)).toBe(false);
    expect(rt.setWeight('be', 'a', 0)).toBe(true);
    expect(rt.usableServers('be')).toBe(2);
    rt.setServerState('be', 'c', 'DRAIN');
    expect(rt.usableServers('be')).toBe(1);
  });

  it('counts connections per server, once per stream', () => {
    const rt = createRuntime(model(cfg));
    const ctx = createContext();
    rt.beginConnection(ctx, 'be', 'c');
    expect(rt.serverState('be', 'c')).toMatchObject({ served: 1, total: 1 });
    rt.endConnection(ctx);
    rt.endConnection(ctx);
    expect(rt.serverState('be', 'c')).toMatchObject({ served: 0, total: 1 });
  });
});

describe('frequency counters', () => {
  it('rotate periods like update_freq_ctr_period', () => {
    const c = newFreqCtr();
    updateFreqCtr(c, 1000, 100);
    updateFreqCtr(c, 1000, 600);
    expect(readFreqCtr(c, 1000, 600)).toBe(2);
    updateFreqCtr(c, 1000, 1200); // new period starting at 1100
    expect(c).toMatchObject({ tick: 1100, curr: 1, prev: 2 });
    expect(readFreqCtr(c, 1000, 1600)).toBe(2); // 2 * 500/1000 + 1
    expect(readFreqCtr(c, 1000, 5000)).toBe(0);
  });
});
