// `haplo check FILE…`: load the files as `haproxy -f a -f b` would, check them together, print
// the diagnostics (text or JSON) and turn them into an exit code.
// The pipeline's own modules, not the package index (which also loads the formatter).
import { checkSources } from '../check-sources.js';
import { defaultEnvironment } from '../lexer/environment.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { parseCommandArgs, type FlagSpec } from './args.js';
import { parseEnvFile } from './env-file.js';
import { hostFiles } from './host-files.js';
import type { CliIo } from './io.js';
import { renderJson } from './json-diagnostics.js';
import { cannotRead, loadSources } from './load-files.js';
import { renderDiagnostic, renderSummary, splitLines } from './render-diagnostics.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const CHECK_USAGE = `Usage: haplo check [options] FILE|DIR…

Checks HAProxy 2.6 configuration files. Several files load in order, like
'haproxy -f a.cfg -f b.cfg'; a directory loads its *.cfg files alphabetically.

Options:
  --format text|json  output format (default: text)
  --strict            exit 2 when there are warnings but no errors
  --env FILE          KEY=VALUE lines used for .if and \${VAR} (default: the process environment)
  -h, --help          show this help

Exit status: 0 no errors, 1 errors, 2 warnings with --strict, or misuse.
`;

const CHECK_FLAGS: FlagSpec = {
  format: { type: 'string' },
  strict: { type: 'boolean' },
  env: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

/** Whether `haplo check` with these arguments prints in colour (everything but `--format json`). */
export function checkUsesColor(args: string[]): boolean {
  const parsed = parseCommandArgs(args, CHECK_FLAGS);
  return !(parsed.ok && parsed.flags.format === 'json');
}

/** Runs `haplo check` with the arguments after `check`; returns the exit code. */
export function runCheck(args: string[], io: CliIo): number {
  const parsed = parseCommandArgs(args, CHECK_FLAGS);
  if (!parsed.ok) return misuse(io, parsed.message);
  const { flags, files } = parsed;
  if (flags.help) {
    io.stdout(CHECK_USAGE);
    return 0;
  }
  const format = (flags.format as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'json') return misuse(io, `unknown --format '${format}' (use text or json)`);
  if (files.length === 0) return misuse(io, 'no files to check');

  const vars = flags.env === undefined ? io.env : readEnvFile(flags.env as string, io);
  if (vars === undefined) return 2;
  const loaded = loadSources(files, io.cwd);
  if (!loaded.ok) {
    io.stderr(`haplo check: ${loaded.message}\n`);
    return 2;
  }

  const order = new Map(loaded.inputs.map((input, index) => [input.path, index]));
  const { diagnostics: all } = checkSources(loaded.inputs, { env: defaultEnvironment(vars), ...hostFiles(io.cwd) });
  // Hints (inactive `.if` branches and the like) are for editors; the CLI reports the rest.
  const diagnostics = all.filter((d) => d.severity !== 'hint').sort(byPosition(order));

  if (format === 'json') {
    io.stdout(renderJson(diagnostics));
  } else {
    const sources = new Map(loaded.inputs.map((input) => [input.path, splitLines(input.text)]));
    for (const d of diagnostics) io.stdout(renderDiagnostic(d, sources, io.color));
    io.stdout(renderSummary(diagnostics, loaded.inputs.length, io.color));
  }
  return exitCode(diagnostics, flags.strict === true);
}

/** 1 for any error; 2 for warnings under `--strict`; otherwise 0. */
export function exitCode(diagnostics: readonly Diagnostic[], strict: boolean): number {
  if (diagnostics.some((d) => d.severity === 'error')) return 1;
  if (strict && diagnostics.some((d) => d.severity === 'warning')) return 2;
  return 0;
}

/** Files in load order, then by position, so output reads top to bottom. */
function byPosition(order: ReadonlyMap<string, number>): (a: Diagnostic, b: Diagnostic) => number {
  const rank = (file: string): number => order.get(file) ?? order.size;
  return (a, b) =>
    rank(a.file) - rank(b.file) ||
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.range.start.offset - b.range.start.offset;
}

function readEnvFile(path: string, io: CliIo): Record<string, string> | undefined {
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, path), 'utf8');
  } catch (error) {
    io.stderr(`haplo check: --env: ${cannotRead(path, error)}\n`);
    return undefined;
  }
  const parsed = parseEnvFile(text, path);
  if (parsed.ok) return parsed.vars;
  io.stderr(`haplo check: --env: ${parsed.message}\n`);
  return undefined;
}

function misuse(io: CliIo, message: string): number {
  io.stderr(`haplo check: ${message}\n\n${CHECK_USAGE}`);
  return 2;
}
