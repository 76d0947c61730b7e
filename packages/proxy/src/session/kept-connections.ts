// The server connections one client connection keeps between its requests, as HAProxy keeps a
// session's server connections (http-reuse safe): the next request to the same server goes out
// on one of them without a trip through the pool. A kept connection that speaks, ends or closes
// while idle is of no further use and is given back as such.
import type { Socket } from 'node:net';
import type { UpstreamConnection } from '../process/types.js';

/** One per server lately used is plenty; beyond that the oldest goes back to the pool. */
const MAX_KEPT = 4;

export class KeptConnections {
  private readonly list: UpstreamConnection[] = [];

  constructor(private readonly giveBack: (conn: UpstreamConnection, reusable: boolean) => void) {}

  keep(conn: UpstreamConnection): void {
    if (this.list.length >= MAX_KEPT) this.giveBack(this.list.shift()!, true);
    this.list.push(conn);
  }

  /** An open kept connection to `server` of `backend`, taken out of the list. */
  take(backend: string, server: string): UpstreamConnection | undefined {
    const list = this.list;
    for (let i = 0; i < list.length; i++) {
      const c = list[i]!;
      if (c.server !== server || c.backend !== backend) continue;
      list.splice(i, 1);
      if (!c.socket.destroyed && c.socket.readyState === 'open') return c;
      this.giveBack(c, false);
      return undefined;
    }
    return undefined;
  }

  /** An event on an idle kept socket: drop it. False when the socket is not one of ours. */
  idleEvent(socket: Socket): boolean {
    const i = this.list.findIndex((c) => c.socket === socket);
    if (i < 0) return false;
    const [c] = this.list.splice(i, 1);
    this.giveBack(c!, false);
    return true;
  }

  /** Gives every kept connection back (the client connection is over). */
  releaseAll(reusable: boolean): void {
    for (const c of this.list.splice(0)) this.giveBack(c, reusable);
  }
}
