// `--env FILE`: the variables `.if defined(X)` and `${X}` see, written one `KEY=VALUE` a line,
// so a check is reproducible regardless of the shell it runs in.

export type EnvFileResult =
  | { ok: true; vars: Record<string, string> }
  | { ok: false; message: string };

const NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

/** Parses `KEY=VALUE` lines; blank lines and `#` comments are skipped, values are literal. */
export function parseEnvFile(text: string, path: string): EnvFileResult {
  const vars: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const key = eq < 0 ? '' : line.slice(0, eq).trim().replace(/^export\s+/, '');
    if (!NAME.test(key)) {
      return { ok: false, message: `'${path}' line ${i + 1} is not KEY=VALUE: ${trimmed}` };
    }
    vars[key] = line.slice(eq + 1);
  }
  return { ok: true, vars };
}
