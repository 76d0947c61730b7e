// Reading `-f` operands the way `haproxy -f a -f b` (and `haplo check`) does: each operand in
// turn, a directory's `*.cfg` files in alphabetical order; plus `--env FILE` (`KEY=VALUE` lines).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnvFile, type SourceInput } from '@haplo/parser';

export type Loaded<T> = { ok: true; value: T } | { ok: false; message: string };

/** Every operand's files, in load order; the first unreadable one stops with a message. */
export function loadSources(operands: readonly string[], cwd: string): Loaded<SourceInput[]> {
  const inputs: SourceInput[] = [];
  for (const operand of operands) {
    let paths: string[];
    try {
      paths = statSync(resolve(cwd, operand)).isDirectory() ? cfgFiles(operand, cwd) : [operand];
    } catch (error) {
      return { ok: false, message: cannotRead(operand, error) };
    }
    for (const path of paths) {
      try {
        inputs.push({ path, text: readFileSync(resolve(cwd, path), 'utf8') });
      } catch (error) {
        return { ok: false, message: cannotRead(path, error) };
      }
    }
  }
  return { ok: true, value: inputs };
}

function cfgFiles(dir: string, cwd: string): string[] {
  return readdirSync(resolve(cwd, dir), { withFileTypes: true })
    .filter((e) => e.name.endsWith('.cfg') && !e.isDirectory())
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => join(dir, name));
}

/** `KEY=VALUE` lines; blank lines and `#` comments skipped, `export ` allowed, values literal. */
export function loadEnvFile(path: string, cwd: string): Loaded<Record<string, string>> {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
  } catch (error) {
    return { ok: false, message: `--env: ${cannotRead(path, error)}` };
  }
  const parsed = parseEnvFile(text, path);
  return parsed.ok ? { ok: true, value: parsed.vars } : { ok: false, message: `--env: ${parsed.message}` };
}

function cannotRead(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    code === 'ENOENT' ? 'no such file'
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : error instanceof Error ? error.message
    : String(error);
  return `cannot read '${path}': ${reason}`;
}
