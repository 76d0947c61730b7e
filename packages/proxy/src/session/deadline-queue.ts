// Every pending deadline of the process in one binary heap, ordered by when it comes due (ties in
// arrival order, as Node's own timers fire), under a single Node timer set for the earliest. One
// heap slot per deadline instead of one Node Timeout each: 10,000 idle keep-alive clients held
// 20,000 Timeout objects and their timer-list links.

export interface Queued {
  /** When the entry comes due (ms on the queue's clock()). */
  dueAt: number;
  /** Index in the heap; -1 when not queued. */
  slot: number;
  /** Arrival order, for ties. */
  seq: number;
  /** Called once the entry is due; it has already left the queue. */
  due(now: number): void;
}

/**
 * The queue's clock: ms since the module loaded, a small integer for twelve days (absolute
 * epoch milliseconds are boxed numbers: two per idle connection's timer).
 */
const EPOCH = Date.now();

export function clock(): number {
  return Date.now() - EPOCH;
}

const heap: Queued[] = [];
let arrivals = 0;
let timer: NodeJS.Timeout | undefined;
/** When the Node timer fires (0: none). */
let timerAt = 0;
/** Set while due entries are being handed out: the timer is set once at the end. */
let running = false;

const earlier = (a: Queued, b: Queued): boolean => a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.seq < b.seq);

function place(e: Queued, i: number): void {
  heap[i] = e;
  e.slot = i;
}

function siftUp(i: number): void {
  const e = heap[i]!;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const p = heap[parent]!;
    if (!earlier(e, p)) break;
    place(p, i);
    i = parent;
  }
  place(e, i);
}

function siftDown(i: number): void {
  const e = heap[i]!;
  const n = heap.length;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= n) break;
    const right = left + 1;
    const child = right < n && earlier(heap[right]!, heap[left]!) ? right : left;
    const c = heap[child]!;
    if (!earlier(c, e)) break;
    place(c, i);
    i = child;
  }
  place(e, i);
}

/** Queues `e` to come due at `at`, or moves its queued entry to `at` (only ever earlier). */
export function enqueue(e: Queued, at: number): void {
  e.dueAt = at;
  e.seq = arrivals++;
  if (e.slot < 0) {
    e.slot = heap.length;
    heap.push(e);
  }
  siftUp(e.slot);
  if (!running) setTimer();
}

/** Takes `e` out of the queue (no-op when not queued). */
export function dequeue(e: Queued): void {
  const i = e.slot;
  if (i < 0) return;
  e.slot = -1;
  e.dueAt = 0;
  const last = heap.pop()!;
  if (last !== e) {
    place(last, i);
    siftUp(i);
    siftDown(last.slot);
  }
  if (heap.length === 0 && !running) setTimer();
}

/** Points the Node timer at the earliest entry; a timer already set earlier is left to fire and look again. */
function setTimer(): void {
  const first = heap[0];
  if (!first) {
    if (timer) clearTimeout(timer);
    timer = undefined;
    timerAt = 0;
    return;
  }
  if (timer && timerAt <= first.dueAt) return;
  if (timer) clearTimeout(timer);
  timerAt = first.dueAt;
  timer = setTimeout(fire, Math.max(0, first.dueAt - clock()));
}

function fire(): void {
  timer = undefined;
  timerAt = 0;
  const now = clock();
  running = true;
  try {
    while (heap.length > 0 && heap[0]!.dueAt <= now) {
      const e = heap[0]!;
      dequeue(e);
      e.due(now);
    }
  } finally {
    running = false;
    setTimer();
  }
}

/** Entries waiting (for tests and diagnostics). */
export function queuedDeadlines(): number {
  return heap.length;
}
