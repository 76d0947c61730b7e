// Entry for `haplo sim` and `haplo test`: the root `bin/haplo.js` passes [command, ...args] and
// sets the exit code from the result. Wiring only; the commands live in `cli/`.
import { processIo, type SimIo } from './cli/io.js';
import { runSim } from './cli/sim-command.js';
import { runTest } from './cli/test-command.js';

export type { SimIo } from './cli/io.js';

export async function main(argv: string[], io: SimIo = processIo()): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'sim':
      return runSim(args, io);
    case 'test':
      return runTest(args, io);
    default:
      io.stderr(`haplo: the sim package has no command '${command ?? ''}'\n`);
      return 2;
  }
}
