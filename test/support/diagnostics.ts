// Helpers for check tests: run haplo's checks on a few lines (after a defaults section with the
// usual timeouts) and look at the diagnostics of given codes.
import { checkSources } from '../../packages/parser/src/check-sources.js';
import type { Diagnostic } from '../../packages/parser/src/diagnostics/diagnostic.js';
import { defaultEnvironment } from '../../packages/parser/src/lexer/environment.js';

export const HEAD = ['defaults', '    mode http', '    timeout connect 5s', '    timeout client 30s', '    timeout server 30s'];

/** Diagnostics for `lines` (preceded by HEAD unless `head` is false) as file `x.cfg`. */
export function checkLines(lines: string[], fileExists: (path: string) => boolean, head = true): Diagnostic[] {
  const text = [...(head ? HEAD : []), ...lines].join('\n') + '\n';
  return checkSources([{ path: 'x.cfg', text }], { env: defaultEnvironment({}), fileExists }).diagnostics;
}

/** `[code, 1-based line, severity]` of the diagnostics with one of these codes. */
export function found(ds: Diagnostic[], ...infos: { code: string }[]): [string, number, string][] {
  const wanted = new Set(infos.map((i) => i.code));
  return ds.filter((d) => wanted.has(d.code)).map((d) => [d.code, d.range.start.line + 1, d.severity]);
}

export function messages(ds: Diagnostic[], info: { code: string }): string[] {
  return ds.filter((d) => d.code === info.code).map((d) => d.message);
}
