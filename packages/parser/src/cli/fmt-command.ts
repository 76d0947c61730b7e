// `haplo fmt FILE…`: print one file formatted, or with `--check`/`--write` work on many.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatSource } from '../index.js';
import { parseCommandArgs } from './args.js';
import type { CliIo } from './io.js';
import { loadSources } from './load-files.js';

export const FMT_USAGE = `Usage: haplo fmt [options] FILE|DIR…

Formats HAProxy configuration files, keeping comments and .if blocks.
Without options, prints the formatted text of one file to stdout.

Options:
  --check     list files whose formatting would change; exit 1 if any would
  --write     rewrite files in place
  -h, --help  show this help
`;

/** Runs `haplo fmt` with the arguments after `fmt`; returns the exit code. */
export function runFmt(args: string[], io: CliIo): number {
  const parsed = parseCommandArgs(args, {
    check: { type: 'boolean' },
    write: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (!parsed.ok) return misuse(io, parsed.message);
  const { flags, files } = parsed;
  if (flags.help) {
    io.stdout(FMT_USAGE);
    return 0;
  }
  if (flags.check && flags.write) return misuse(io, '--check and --write cannot be combined');
  if (files.length === 0) return misuse(io, 'no files to format');

  const loaded = loadSources(files, io.cwd);
  if (!loaded.ok) {
    io.stderr(`haplo fmt: ${loaded.message}\n`);
    return 2;
  }
  if (!flags.check && !flags.write && loaded.inputs.length !== 1) {
    return misuse(io, 'printing works on one file; use --check or --write for several');
  }

  let changed = 0;
  for (const { path, text } of loaded.inputs) {
    const formatted = formatSource(text, path);
    if (!flags.check && !flags.write) {
      io.stdout(formatted);
    } else if (formatted !== text) {
      changed++;
      if (flags.write) writeFileSync(resolve(io.cwd, path), formatted);
      else io.stdout(`${path}\n`);
    }
  }
  return flags.check && changed > 0 ? 1 : 0;
}

function misuse(io: CliIo, message: string): number {
  io.stderr(`haplo fmt: ${message}\n\n${FMT_USAGE}`);
  return 2;
}
