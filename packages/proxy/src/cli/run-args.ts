// `haplo run` flags: `-f FILE` (repeatable; bare operands are files too), `-c`, `--env FILE`.
import { parseArgs } from 'node:util';

export const RUN_USAGE = `Usage: haplo run -f CONFIG [-f MORE…] [options]

Serves the configuration as a live proxy, with HAProxy 2.6's behaviour: every decision
(ACLs, rules, backend and server choice) comes from the same compiled pipeline as 'haplo sim'.
Several files load in order, like 'haproxy -f a.cfg -f b.cfg'; a directory loads its *.cfg
files alphabetically. Prints one 'listening' line per socket when ready.

Signals (as HAProxy 2.6):
  SIGTERM, SIGINT  stop at once: listeners and every connection closed
  SIGUSR1          soft stop: stop listening, let requests in flight finish (idle keep-alive
                   connections close, busy ones get 'connection: close'), at most
                   'hard-stop-after' if the global section sets it
  SIGHUP, SIGUSR2  reload the same files (and --env): a configuration with errors is refused
                   and the running one keeps serving; else new connections use it at once, a
                   request in flight finishes on the old one and its keep-alive connection then
                   goes on with the new one; sockets of addresses bound in both stay open;
                   stick tables and server states (MAINT, DRAIN, DOWN, weights) carry over

Options:
  -f, --file FILE  configuration file or directory (repeatable)
  -c, --check      check the configuration and exit (like 'haproxy -c')
  --env FILE       KEY=VALUE lines used for .if, \${VAR} and env() (default: the process environment)
  -h, --help       show this help

Exit status: 0 stopped by a signal (or -c: valid), 1 configuration errors or a bind failure,
2 misuse.
`;

export type RunArgs =
  | { kind: 'help' }
  | { kind: 'misuse'; message: string }
  | { kind: 'run'; files: string[]; check: boolean; envFile?: string };

export function parseRunArgs(args: string[]): RunArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        file: { type: 'string', short: 'f', multiple: true },
        check: { type: 'boolean', short: 'c' },
        env: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    return { kind: 'misuse', message: (e as Error).message };
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  const files = [...(values.file ?? []), ...positionals];
  if (files.length === 0) return { kind: 'misuse', message: 'no configuration file (-f CONFIG)' };
  return { kind: 'run', files, check: values.check === true, envFile: values.env };
}
