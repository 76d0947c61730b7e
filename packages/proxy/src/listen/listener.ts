// One listening socket of a frontend. Accepted sockets start paused and go through the
// connection gate (maxconn) before the process hands them to a session.
import { createServer, type Server, type Socket } from 'node:net';
import { lstatSync, unlinkSync } from 'node:fs';
import { formatAddress, type ListenAddress } from './bind-addresses.js';

export interface ListenerEvents {
  /** A client connected (paused: nothing read yet). */
  connection(socket: Socket, address: ListenAddress): void;
}

export class Listener {
  private readonly server: Server;
  /** The address actually bound (the port chosen by the system for port 0). */
  bound = '';

  constructor(readonly address: ListenAddress, events: ListenerEvents) {
    this.server = createServer({ pauseOnConnect: true, noDelay: true, allowHalfOpen: true }, (socket) => events.connection(socket, address));
    // An accept error (EMFILE…) must not take the process down; HAProxy keeps listening too.
    this.server.on('error', (e) => process.stderr.write(`haplo run: listener ${address.text}: ${e.message}\n`));
  }

  /** Binds the socket; rejects with a readable message (address in use, no such address…). */
  listen(backlog: number): Promise<void> {
    const a = this.address;
    return new Promise((resolve, reject) => {
      const fail = (e: NodeJS.ErrnoException): void => {
        reject(new Error(`cannot bind ${formatAddress(a.host, a.port, a.kind)} (${a.text} of '${a.frontend}'): ${describe(e)}`));
      };
      this.server.once('error', fail);
      const done = (): void => {
        this.server.off('error', fail);
        const info = this.server.address();
        this.bound = typeof info === 'string' || info === null ? a.host : formatAddress(info.address, info.port, 'tcp');
        resolve();
      };
      if (a.kind === 'unix') {
        removeStaleSocket(a.host);
        this.server.listen({ path: a.host, backlog }, done);
      } else this.server.listen({ host: a.host, port: a.port, backlog, ipv6Only: false }, done);
    });
  }

  /** Stops accepting; established connections are not touched. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
    });
  }
}

function describe(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'EADDRINUSE': return 'address already in use';
    case 'EADDRNOTAVAIL': return 'address not available on this host';
    case 'EACCES': return 'permission denied';
    case 'ENOTFOUND': return 'host name not found';
    default: return e.message;
  }
}

/** A socket file left by a previous run would make listen fail; HAProxy replaces it too. */
function removeStaleSocket(path: string): void {
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch {
    // absent: nothing to remove
  }
}
