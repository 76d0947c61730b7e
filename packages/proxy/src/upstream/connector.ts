// How a new connection to a server is opened. Injectable so tests can count attempts or make a
// connect hang without any external address; the default is net.connect with Nagle disabled.
import { connect, type Socket } from 'node:net';
import type { ConnectTarget } from './server-target.js';

/** Starts connecting; the socket then emits `connect` or `error` (the caller owns timeouts). */
export type Connector = (target: ConnectTarget) => Socket;

export const netConnector: Connector = (target) =>
  target.kind === 'unix'
    ? connect({ path: target.path })
    : connect({ host: target.host, port: target.port, noDelay: true });

/**
 * Every read of a proxied server connection lands in this one buffer (Node's `onread`) and is
 * copied out at once: reads run one at a time on the event loop, so sharing it is safe.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/** Hands a read on as the usual 'data' event, with bytes of its own (the buffer is reused). */
function emitRead(this: Socket, n: number): boolean {
  const chunk = Buffer.allocUnsafe(n);
  READ_BUFFER.copy(chunk, 0, 0, n);
  this.emit('data', chunk);
  // Keep reading: a listener that wants a stop calls pause().
  return true;
}

const ON_READ = { buffer: READ_BUFFER, callback: emitRead };

/**
 * The connector of the proxy's server connections: netConnector's sockets, read through
 * `onread`. Node's default read path allocates a 64 KB buffer per read and runs the Readable
 * machinery (push, maybeReadMore, a tick) before 'data'; here a response costs one small copy.
 * Listeners see the same events ('data', 'end', 'close', 'error'), and pause()/resume() stop
 * and restart reading as before.
 */
export const proxyConnector: Connector = (target) =>
  target.kind === 'unix'
    ? connect({ path: target.path, onread: ON_READ })
    : connect({ host: target.host, port: target.port, noDelay: true, onread: ON_READ });
