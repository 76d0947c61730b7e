// Socket event handlers shared by every HTTP session: plain module functions, bound once per
// socket, that find their session through a symbol on the socket. No closure is allocated per
// connection or per request, a server connection can change hands (kept, pooled, reused) by
// changing one property, and no exception escapes into Node's event loop: whatever a handler
// throws closes that session only.
import type { Socket } from 'node:net';
import { keepListeners } from '../upstream/upstream-link.js';

/** What a session answers to; `crash` receives anything a handler threw. */
export interface SocketOwner {
  clientData(chunk: Buffer): void;
  clientEnd(): void;
  clientDrain(): void;
  clientClose(): void;
  /** Server events carry their socket: a session also holds idle kept connections. */
  serverData(socket: Socket, chunk: Buffer): void;
  serverEnd(socket: Socket): void;
  serverClose(socket: Socket): void;
  serverDrain(socket: Socket): void;
  crash(error: unknown): void;
}

const OWNER = Symbol('haplo.socket-owner');
/** The server handlers are on the socket (they stay for its life, silent without an owner). */
const BOUND = Symbol('haplo.server-handlers');
type Owned = Socket & { [OWNER]?: SocketOwner; [BOUND]?: boolean };

function onClientData(this: Owned, chunk: Buffer): void {
  const o = this[OWNER];
  if (!o) return;
  try {
    o.clientData(chunk);
  } catch (e) {
    o.crash(e);
  }
}

function onClientEnd(this: Owned): void {
  const o = this[OWNER];
  if (!o) return;
  try {
    o.clientEnd();
  } catch (e) {
    o.crash(e);
  }
}

function onClientDrain(this: Owned): void {
  const o = this[OWNER];
  if (!o) return;
  try {
    o.clientDrain();
  } catch (e) {
    o.crash(e);
  }
}

function onClientClose(this: Owned): void {
  const o = this[OWNER];
  if (!o) return;
  try {
    o.clientClose();
  } catch (e) {
    o.crash(e);
  }
}

function onServerData(this: Owned, chunk: Buffer): void {
  const o = this[OWNER];
  if (!o) return;
  try {
    o.serverData(this, chunk);
  } catch (e) {
    o.crash(e);
  }
}

function onServerEnd(this: Owned): void {
  const o = this[OWNER];
  if (!o) return;
  try {
    o.serverEnd(this);
  } catch (e) {
    o.crash(e);
  }
}

function onServerClose(this: Owned): void {
  const o = this[OWNER];
  if (!o) return;
  try {
    o.serverClose(this);
  } catch (e) {
    o.crash(e);
  }
}

function onServerDrain(this: Owned): void {
  const o = this[OWNER];
  if (!o) return;
  try {
    o.serverDrain(this);
  } catch (e) {
    o.crash(e);
  }
}

/** Errors are followed by `close`, which does the work; this only keeps Node from throwing. */
function ignore(): void {}

export function bindClient(socket: Socket, owner: SocketOwner): void {
  (socket as Owned)[OWNER] = owner;
  socket.on('data', onClientData);
  socket.on('end', onClientEnd);
  socket.on('drain', onClientDrain);
  socket.on('close', onClientClose);
  // The listener usually put one on at accept; a second would cost each idle client an array.
  if (socket.listenerCount('error') === 0) socket.on('error', ignore);
}

/** Takes the handlers off a client socket (it becomes one end of a tunnel); errors stay ignored. */
export function unbindClient(socket: Socket): void {
  (socket as Owned)[OWNER] = undefined;
  socket.off('data', onClientData);
  socket.off('end', onClientEnd);
  socket.off('drain', onClientDrain);
  socket.off('close', onClientClose);
}

/**
 * Routes a server socket's events to `owner`. The handlers go on once per socket and stay (the
 * pool keeps them, see keepListeners): a pooled connection changes hands on every keep-alive
 * request, which otherwise added and removed five listeners each time.
 */
export function bindServer(socket: Socket, owner: SocketOwner): void {
  const s = socket as Owned;
  if (s[OWNER] === owner) return;
  if (!s[BOUND]) {
    socket.on('data', onServerData);
    socket.on('end', onServerEnd);
    socket.on('close', onServerClose);
    socket.on('drain', onServerDrain);
    socket.on('error', ignore);
    s[BOUND] = true;
    keepListeners(socket);
  }
  s[OWNER] = owner;
}

/** The server socket goes back to the upstream layer: its events reach no session any more. */
export function unbindServer(socket: Socket): void {
  (socket as Owned)[OWNER] = undefined;
}
