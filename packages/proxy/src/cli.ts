// Entry for `haplo run`: the root `bin/haplo.js` passes [command, ...args] and sets the exit
// code from the result. Wiring only; the command lives in `cli/`.
import { processIo, type ProxyIo } from './cli/io.js';
import { runRun } from './cli/run-command.js';

export type { ProxyIo } from './cli/io.js';

export async function main(argv: string[], io: ProxyIo = processIo()): Promise<number> {
  const [command, ...args] = argv;
  if (command === 'run') return runRun(args, io);
  io.stderr(`haplo: the proxy package has no command '${command ?? ''}'\n`);
  return 2;
}
