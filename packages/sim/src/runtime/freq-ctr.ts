// HAProxy's sliding-window frequency counter (freq_ctr.c): events of the current period plus
// the previous period's count weighted by the part of it still inside the window.

export interface FreqCtr {
  /** Start of the current period (ms); undefined until the first event. */
  tick?: number;
  curr: number;
  prev: number;
}

export const newFreqCtr = (): FreqCtr => ({ curr: 0, prev: 0 });

/** Adds `inc` events at `now`, rotating the periods as update_freq_ctr_period does. */
export function updateFreqCtr(c: FreqCtr, period: number, now: number, inc = 1): void {
  if (c.tick === undefined) {
    c.tick = now;
    c.curr = inc;
    c.prev = 0;
    return;
  }
  if (now - c.tick < period) {
    c.curr += inc;
    return;
  }
  c.prev = c.curr;
  c.curr = inc;
  c.tick += period;
  if (now - c.tick >= period) {
    // at least two periods missed
    c.prev = 0;
    c.tick = now;
  }
}

/** Events over the last `period` ms at `now` (read_freq_ctr_period, with its low-rate correction). */
export function readFreqCtr(c: FreqCtr, period: number, now: number): number {
  if (c.tick === undefined || period <= 0) return 0;
  let curr = c.curr;
  let past = c.prev;
  let remain = c.tick + period - now;
  if (remain < 0) {
    remain += period;
    past = remain >= 0 ? curr : 0;
    curr = 0;
  }
  if (!curr && past <= 1) return past; // flapping correction: past * period / period
  return Math.floor((past * remain + curr * period) / period);
}
