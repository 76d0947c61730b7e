// `haplo run` while it serves: does with each signal what HAProxy 2.6 does (signals.ts).
// `stopped` resolves when the process has stopped, hard or soft; reloads never end it. Handlers
// are installed before the sockets are bound, so an early signal is not Node's default (exit).
import type { ProxyProcess } from '../process/proxy-process.js';
import type { ProxyIo } from './io.js';
import { RUN_SIGNALS, type RunSignal } from './signals.js';

export interface SignalLoop {
  stopped: Promise<void>;
  /** Removes the handlers (start-up failed). */
  cancel(): void;
}

export function serveUntilStopped(proc: ProxyProcess, io: ProxyIo, reload: () => Promise<unknown>): SignalLoop {
  let cancel = (): void => {};
  const stopped = new Promise<void>((resolve) => {
    let stopping = false;
    const removeHandlers = io.onSignal((signal: RunSignal) => {
      switch (RUN_SIGNALS[signal]) {
        case 'reload':
          if (!stopping) reload().catch((e: unknown) => io.stderr(`haplo run: reload failed: ${(e as Error)?.message ?? String(e)}\n`));
          return;
        case 'soft-stop': {
          if (stopping) return;
          stopping = true;
          const { active } = proc.connections;
          io.stderr(`haplo run: ${signal}, stopping softly (${active} connection${active === 1 ? '' : 's'} to finish)\n`);
          void proc.softStop().then(() => {
            removeHandlers();
            io.stderr('haplo run: stopped\n');
            resolve();
          });
          return;
        }
        case 'stop':
          stopping = true;
          removeHandlers();
          io.stderr(`haplo run: ${signal}, stopping\n`);
          void proc.stop().then(resolve);
      }
    });
    cancel = removeHandlers;
  });
  return { stopped, cancel };
}
