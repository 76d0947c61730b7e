// Which server an open socket counts against (HAProxy's curr_used_conns + curr_idle_conns, and
// the process's descriptors). HAProxy forgets a connection the moment it frees it, but Node
// reports 'close' a turn later: counting only on 'close' left every connection haplo had just
// destroyed still counted, so the next release saw one too many and was destroyed as well, a
// cascade HAProxy never has. A socket haplo destroys is uncounted at once; one the peer closes,
// when its 'close' arrives; never twice.
import type { Socket } from 'node:net';
import { openSockets } from '../process/open-sockets.js';

/** What keeps the count: a server's connection demand (idle-rules.ts ConnectionDemand). */
export interface OpenCounter {
  readonly demand: { open: number };
}

const COUNTED_BY = Symbol('haplo.counted-by');
type CountedSocket = Socket & { [COUNTED_BY]?: OpenCounter };

/** A socket to the server was just created: counted until it closes or haplo destroys it. */
export function countOpened(socket: Socket, counter: OpenCounter): void {
  (socket as CountedSocket)[COUNTED_BY] = counter;
  socket.once('close', onClose);
  counter.demand.open++;
  openSockets.serverOpened();
}

/** The socket is gone (or about to be, by haplo's hand): one fewer open, once. */
export function countClosed(socket: Socket): void {
  const s = socket as CountedSocket;
  const counter = s[COUNTED_BY];
  if (!counter) return;
  s[COUNTED_BY] = undefined;
  counter.demand.open--;
  openSockets.serverClosed();
}

function onClose(this: Socket): void {
  countClosed(this);
}
