// Entry for `haplo check` and `haplo fmt`: the root `bin/haplo.js` passes [command, ...args]
// and sets the process exit code from the result. Wiring only; the commands live in `cli/`.
// Each command is imported when it runs: a check never loads the formatter, and start-up time
// is part of every `haplo check`.
import { processIo, type CliIo } from './cli/io.js';

export type { CliIo } from './cli/io.js';

/** Runs one parser subcommand and resolves to its exit code (2 for an unknown command). */
export async function main(argv: string[], io?: CliIo): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'check': {
      const { runCheck, checkUsesColor } = await import('./cli/check-command.js');
      return runCheck(args, io ?? (await processIo(checkUsesColor(args))));
    }
    case 'fmt': {
      const { runFmt } = await import('./cli/fmt-command.js');
      return runFmt(args, io ?? (await processIo()));
    }
    default:
      (io ?? (await processIo())).stderr(`haplo: the parser package has no command '${command ?? ''}'\n`);
      return 2;
  }
}
