// What `haplo run` may touch of its process, in one value so tests can run the command
// in-process: output, working directory, environment, and the signals that stop it.

export interface ProxyIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Calls `stop` on SIGINT/SIGTERM; returns a function that removes the handlers. */
  onStopSignal(stop: (signal: string) => void): () => void;
}

export function processIo(): ProxyIo {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
    onStopSignal(stop) {
      const onInt = (): void => stop('SIGINT');
      const onTerm = (): void => stop('SIGTERM');
      process.on('SIGINT', onInt);
      process.on('SIGTERM', onTerm);
      return () => {
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
      };
    },
  };
}
