// What `haplo run` may touch of its process, in one value so tests can run the command
// in-process: output, working directory, environment, and the signals that drive it.
import { listenToSignals, type RunSignal } from './signals.js';

export interface ProxyIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Calls `handler` on SIGTERM, SIGINT, SIGUSR1, SIGHUP, SIGUSR2; returns a function that removes the handlers. */
  onSignal(handler: (signal: RunSignal) => void): () => void;
}

export function processIo(): ProxyIo {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
    onSignal: listenToSignals,
  };
}
