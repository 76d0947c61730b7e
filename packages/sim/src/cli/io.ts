// What a sim command may touch of its process, in one value so tests run commands in-process.
import chalk, { type ChalkInstance } from 'chalk';

export interface SimIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: Record<string, string | undefined>;
  color: ChalkInstance;
}

export function processIo(): SimIo {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
    color: chalk,
  };
}
