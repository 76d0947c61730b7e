// Command-line flags for one subcommand, on top of `node:util` parseArgs, turned into a value
// rather than an exception so misuse becomes a usage message and exit code 2.
import { parseArgs } from 'node:util';

export type FlagSpec = Record<string, { type: 'boolean' | 'string'; short?: string }>;

export type ParsedArgs =
  | { ok: true; flags: Record<string, string | boolean | undefined>; files: string[] }
  | { ok: false; message: string };

/** Splits `args` into known flags and file operands; unknown flags are an error. */
export function parseCommandArgs(args: string[], spec: FlagSpec): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args, options: spec, strict: true, allowPositionals: true });
    return { ok: true, flags: values as Record<string, string | boolean | undefined>, files: positionals };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /^Unknown option '([^']*)'/.exec(message);
    return { ok: false, message: unknown ? `unknown option '${unknown[1]}'` : message };
  }
}
