// The process's listening sockets, keyed by address. A reload keeps every socket whose address
// is still bound (never closed and bound again, so no connect is refused meanwhile), binds the
// new ones before anything changes and closes the removed ones after the switch. A kept socket
// feeds whatever frontend binds its address in the configuration now.
import type { Socket } from 'node:net';
import { formatAddress, type ListenAddress } from '../listen/bind-addresses.js';
import { Listener } from '../listen/listener.js';

/** One listening socket once bound. */
export interface ListenerInfo {
  frontend: string;
  /** As bound: `127.0.0.1:8080`, `[::]:80`, a socket path. */
  address: string;
  /** As written in the bind line. */
  written: string;
}

interface Open {
  listener: Listener;
  /** The bind of the current configuration for this address. */
  address: ListenAddress;
}

export type Accept = (socket: Socket, address: ListenAddress) => void;

export class ListenerSet {
  private open = new Map<string, Open>();
  /** closeAll() ran: an update still binding must not bring sockets back. */
  private closed = false;

  constructor(private readonly accept: Accept) {}

  get size(): number {
    return this.open.size;
  }

  /**
   * Makes the open sockets those of `addresses`: binds the missing ones first (any failure closes
   * them again and rejects, leaving everything as it was), then runs `switchOver`, then closes
   * the sockets no longer wanted. Returns the sockets opened and closed.
   */
  async update(addresses: readonly ListenAddress[], backlog: number, switchOver: () => void = () => {}): Promise<{ opened: ListenerInfo[]; closed: ListenerInfo[] }> {
    const next = new Map<string, Open>();
    const fresh: Open[] = [];
    try {
      for (const a of addresses) {
        const key = addressKey(a);
        const kept = next.has(key) ? undefined : this.open.get(key);
        if (kept) {
          next.set(key, { listener: kept.listener, address: a });
          continue;
        }
        // A new address, or the same one twice in this configuration (which fails to bind, as at start).
        const o: Open = { listener: new Listener(a, { connection: (socket) => this.accept(socket, this.current(key, o)) }), address: a };
        fresh.push(o);
        await o.listener.listen(backlog);
        if (!next.has(key)) next.set(key, o);
      }
      if (this.closed) throw new Error('the proxy is stopping');
    } catch (e) {
      await Promise.all(fresh.map((o) => o.listener.close()));
      throw e;
    }
    switchOver();
    const removed = [...this.open].filter(([key, o]) => next.get(key)?.listener !== o.listener).map(([, o]) => o);
    this.open = next;
    // Not awaited: a listener's close completes only once the connections it accepted are over.
    for (const o of removed) void o.listener.close();
    return { opened: fresh.map(info), closed: removed.map(info) };
  }

  /** Every open socket, in the order of the configuration. */
  infos(): ListenerInfo[] {
    return [...this.open.values()].map(info);
  }

  /**
   * Stops accepting everywhere at once (established connections are not touched). The promise
   * settles only once every connection the listeners accepted is over, as net.Server.close does.
   */
  closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open = new Map();
    this.closed = true;
    return Promise.all(all.map((o) => o.listener.close())).then(() => undefined);
  }

  /** The address as the current configuration writes it (a kept socket's frontend may have changed). */
  private current(key: string, opened: Open): ListenAddress {
    const o = this.open.get(key);
    return o && o.listener === opened.listener ? o.address : opened.address;
  }
}

function addressKey(a: ListenAddress): string {
  return `${a.kind} ${formatAddress(a.host, a.port, a.kind)}`;
}

function info(o: Open): ListenerInfo {
  return { frontend: o.address.frontend, address: o.listener.bound, written: o.address.text };
}
