// The global and per-frontend `maxconn`: over either limit HAProxy stops accepting, and the
// waiting connections sit in the kernel's backlog until a slot frees. Node cannot stop a
// listening socket from accepting, so sockets are accepted paused (`pauseOnConnect`), nothing is
// read from them, and they wait here in arrival order: to the client it looks the same, a
// connection that is open but not answered until another one ends.
import type { Socket } from 'node:net';
import { openSockets } from '../process/open-sockets.js';

interface Waiting {
  socket: Socket;
  frontend: string;
  start: (socket: Socket) => void;
}

/** Sockets beyond this many waiting ones are dropped, as a full kernel backlog would. */
const MAX_WAITING = 4096;

export class ConnectionGate {
  private active = 0;
  private readonly perFrontend = new Map<string, number>();
  private readonly limits = new Map<string, number>();
  private readonly waiting: Waiting[] = [];

  constructor(private globalLimit: number) {}

  /** Sets a frontend's own limit (0: only the global one). */
  setLimit(frontend: string, maxconn: number): void {
    this.limits.set(frontend, maxconn);
  }

  setGlobalLimit(maxconn: number): void {
    this.globalLimit = maxconn;
    this.drain();
  }

  /** Connections being served now (not counting the waiting ones). */
  get current(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Serves `socket` now when both limits allow it, else once a slot frees. */
  admit(socket: Socket, frontend: string, start: (socket: Socket) => void): void {
    // Waiting sockets never fit (release() starts those that do), so room now means none of
    // this frontend is waiting: no one is overtaken.
    if (this.hasRoom(frontend)) {
      this.take(frontend);
      start(socket);
      return;
    }
    if (this.waiting.length >= MAX_WAITING) {
      socket.destroy();
      return;
    }
    this.waiting.push({ socket, frontend, start });
  }

  /** A served connection of `frontend` ended: the first waiting one that fits starts. */
  release(frontend: string): void {
    this.active--;
    openSockets.clientClosed();
    this.perFrontend.set(frontend, (this.perFrontend.get(frontend) ?? 1) - 1);
    this.drain();
  }

  /** Drops every waiting socket (the process stops). */
  dropWaiting(): void {
    for (const w of this.waiting.splice(0)) w.socket.destroy();
  }

  private drain(): void {
    for (let i = 0; i < this.waiting.length && this.active < this.globalLimit; ) {
      const w = this.waiting[i]!;
      if (w.socket.destroyed) {
        this.waiting.splice(i, 1);
        continue;
      }
      if (!this.hasRoom(w.frontend)) {
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      this.take(w.frontend);
      w.start(w.socket);
    }
  }

  private hasRoom(frontend: string): boolean {
    if (this.active >= this.globalLimit) return false;
    const limit = this.limits.get(frontend) ?? 0;
    return limit === 0 || (this.perFrontend.get(frontend) ?? 0) < limit;
  }

  private take(frontend: string): void {
    this.active++;
    openSockets.clientOpened();
    this.perFrontend.set(frontend, (this.perFrontend.get(frontend) ?? 0) + 1);
  }
}
