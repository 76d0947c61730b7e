// Entry for `haplo check` and `haplo fmt`: the root `bin/haplo.js` passes [command, ...args]
// and sets the process exit code from the result. Wiring only; the commands live in `cli/`.
import { runCheck } from './cli/check-command.js';
import { runFmt } from './cli/fmt-command.js';
import { tuneHeapForBatchWork } from './cli/heap.js';
import { processIo, type CliIo } from './cli/io.js';

export type { CliIo } from './cli/io.js';

/** Runs one parser subcommand and resolves to its exit code (2 for an unknown command). */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...args] = argv;
  tuneHeapForBatchWork();
  switch (command) {
    case 'check':
      return runCheck(args, io);
    case 'fmt':
      return runFmt(args, io);
    default:
      io.stderr(`haplo: the parser package has no command '${command ?? ''}'\n`);
      return 2;
  }
}
