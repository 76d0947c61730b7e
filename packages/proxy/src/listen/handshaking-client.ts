// A connection in its handshake phase (client-handshake.ts) as the process sees it: a
// ClientSession that can be aborted or retired before the real session exists, and that
// forwards both to that session once the handshake is done.
import type { Socket } from 'node:net';
import type { ClientOrigin, ClientSession } from '../process/client-session.js';
import { clientHandshake, type ClientHandshake, type HandshakeSetup } from './client-handshake.js';

export type Ready = Extract<ClientHandshake, { kind: 'ready' }>;

/** A connection in its handshake phase, as the process sees it: it can be aborted or retired there too. */
export class HandshakingClient implements ClientSession {
  private session: ClientSession | undefined;
  private aborted = false;
  /** A retire() met during the handshake, passed on to the session once it exists. */
  private retiring: { handOver: ((socket: Socket) => void) | undefined } | undefined;

  constructor(
    private readonly socket: Socket,
    setup: HandshakeSetup,
    origin: ClientOrigin,
    start: (ready: Ready) => ClientSession | undefined,
    closed: () => void,
  ) {
    void clientHandshake(socket, setup, origin).then((r) => {
      if (r.kind === 'closed') return closed();
      if (this.aborted) {
        r.socket.destroy();
        return closed();
      }
      this.session = start(r);
      if (this.retiring) this.session?.retire?.(this.retiring.handOver);
    });
  }

  abort(): void {
    this.aborted = true;
    if (this.session) this.session.abort();
    else this.socket.destroy();
  }

  retire(handOver?: (socket: Socket) => void): void {
    if (this.session) this.session.retire?.(handOver);
    else this.retiring = { handOver };
  }
}
