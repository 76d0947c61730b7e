// What a command may touch of its process, gathered in one value so commands run in tests
// without spawning: output streams, the working directory, the environment and the colours.
import type { ChalkInstance } from 'chalk';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Relative paths (arguments, `crt`, `-f` files) resolve against this, as HAProxy does. */
  cwd: string;
  /** The environment `.if` and `${VAR}` see unless `--env FILE` replaces it. */
  env: Record<string, string | undefined>;
  /** Colours for stdout; chalk turns them off when stdout is not a TTY or NO_COLOR is set. */
  color: ChalkInstance;
}

/**
 * The real process, for the `haplo` command. Chalk is loaded only for commands that print in
 * colour (`--format json` does not): start-up time is part of every run.
 */
export async function processIo(withColor = true): Promise<CliIo> {
  const chalk = withColor ? (await import('chalk')).default : undefined;
  // `haplo check … | head` closes the pipe early: stop quietly, as other command-line tools do.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    get color(): ChalkInstance {
      if (!chalk) throw new Error('internal error: this command was started without colours');
      return chalk;
    },
  };
}
