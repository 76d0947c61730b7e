// Ports for listeners whose number a config must name before they start (bind lines, server
// addresses). Asking the OS for port 0 hands out a port from the ephemeral range (32768–60999),
// where any test's outgoing connection may take it again before the listener binds it. These come
// from 30000–32699 instead, below that range, with a block per vitest worker so two test files
// running at once never hand out the same port; within a worker, files run one after another and
// the allocation moves on, so a port a previous file's process still holds is not reused at once.
import { createServer } from 'node:net';

const LOW = 30000;
const SPAN = 2700;
const workers = 2;
const worker = Math.max(0, (Number(process.env.VITEST_POOL_ID ?? 1) - 1) % workers);
const blockSize = Math.floor(SPAN / workers);
const blockStart = LOW + worker * blockSize;
let next = Math.floor(Math.random() * blockSize);

function bindable(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

/** A port of this worker's block that is free on `host` right now (never the same one twice in a row). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let tries = 0; tries < blockSize; tries++) {
    const port = blockStart + (next++ % blockSize);
    if (await bindable(port, host)) return port;
  }
  throw new Error(`no free port in ${blockStart}–${blockStart + blockSize - 1} on ${host}`);
}

/**
 * `size` consecutive ports of this worker's block, for a config that names them all up front
 * (synchronous, so a test module can take them at load). They are not probed: the block is this
 * worker's alone and lies below the ephemeral range.
 */
export function portBlock(size: number): number {
  if (size > blockSize) throw new Error(`portBlock(${size}): more than the ${blockSize} ports of a worker's block`);
  let offset = next % blockSize;
  if (offset + size > blockSize) offset = 0;
  next = offset + size;
  return blockStart + offset;
}

/** `count` consecutive ports of this worker's block, each free right now (for a `bind :A-B` range). */
export async function freeRange(count: number, host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const start = portBlock(count);
    let ok = true;
    for (let p = start; p < start + count && ok; p++) ok = await bindable(p, host);
    if (ok) return start;
  }
  throw new Error(`no ${count} consecutive free ports in ${blockStart}–${blockStart + blockSize - 1}`);
}
