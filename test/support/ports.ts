// Ports for listeners whose number a config must name before they start (bind lines, server
// addresses). Asking the OS for port 0 hands out a port from the ephemeral range (32768–60999),
// where any test's outgoing connection may take it again before the listener binds it. These come
// from 30000–32699 instead, below that range, with a block per vitest worker so two workers never
// hand out the same port, and each is checked free before it is returned.
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
