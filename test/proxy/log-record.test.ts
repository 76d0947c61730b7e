// The record a session fills: marks become HAProxy's timers, terminate() the state letters.
import { describe, expect, it } from 'vitest';
import { StreamLogRecord } from '../../packages/proxy/src/log/index.js';

describe('StreamLogRecord', () => {
  const at = (rec: StreamLogRecord, ms: number): number => rec.acceptDate + ms;

  it('turns marks into milliseconds from accept', () => {
    const rec = new StreamLogRecord({ acceptDate: 1_000_000 });
    rec.mark('handshake', at(rec, 5)).mark('request-start', at(rec, 12)).mark('request-head', at(rec, 20))
      .mark('queue', at(rec, 21)).mark('connected', at(rec, 25)).mark('response-head', at(rec, 60)).mark('end', at(rec, 90));
    expect({ h: rec.handshake, i: rec.idle, r: rec.request, q: rec.queue, c: rec.connect, d: rec.data, t: rec.close }).toEqual({ h: 5, i: 7, r: 20, q: 21, c: 25, d: 60, t: 90 });
  });

  it('derives the phase of a termination from the marks', () => {
    const phase = (marks: Parameters<StreamLogRecord['mark']>[0][], http = true): string => {
      const rec = new StreamLogRecord({ http });
      for (const m of marks) rec.mark(m, rec.acceptDate);
      return rec.terminate('client').terminationState;
    };
    expect(phase([])).toBe('CR');
    expect(phase(['request-head', 'queued'])).toBe('CQ');
    expect(phase(['request-head', 'queue'])).toBe('CC');
    expect(phase(['request-head', 'queue', 'connected'])).toBe('CH');
    expect(phase(['request-head', 'queue', 'connected', 'response-head'])).toBe('CD');
    expect(phase(['connected'], false)).toBe('CD');
  });

  it('keeps the first termination', () => {
    const rec = new StreamLogRecord();
    rec.terminate('server-timeout', 'headers').terminate('client');
    expect(rec.terminationState).toBe('sH');
    expect(new StreamLogRecord().terminationState).toBe('--');
  });

  it('tells errors as HAProxy does (dontlog-normal, log-separate-errors)', () => {
    expect(new StreamLogRecord().isError(200)).toBe(false);
    expect(new StreamLogRecord().isError(503)).toBe(true);
    expect(new StreamLogRecord({ http: false }).isError(503)).toBe(false);
    expect(new StreamLogRecord().terminate('local', 'request').isError(302)).toBe(false);
    const retried = new StreamLogRecord();
    retried.retries = 1;
    expect(retried.isError(200)).toBe(true);
  });

  it('starts the next keep-alive request with a fresh number and no handshake', () => {
    const rec = new StreamLogRecord({ acceptDate: 5000 });
    rec.mark('handshake', 5010);
    const next = rec.next(6000);
    expect(next.acceptDate).toBe(6000);
    expect(next.handshake).toBe(0);
    expect(next.requestId).toBe(rec.requestId + 1);
  });
});
