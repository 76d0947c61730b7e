// HAProxy regexes are PCRE2; this translates the common PCRE-only spellings to JavaScript and
// compiles once. Unsupported constructs are reported at compile time, never per request.

const POSIX: Record<string, string> = {
  alpha: 'A-Za-z', digit: '0-9', alnum: 'A-Za-z0-9', upper: 'A-Z', lower: 'a-z', space: ' \\t\\r\\n\\v\\f',
  xdigit: '0-9A-Fa-f', punct: '!-\\/:-@\\[-`{-~', word: '\\w', blank: ' \\t', cntrl: '\\x00-\\x1f\\x7f', print: '\\x20-\\x7e', graph: '\\x21-\\x7e',
};

/** Compiles a HAProxy regex; returns an error message instead when it cannot. */
export function compileRegex(source: string, icase: boolean, global = false): RegExp | string {
  let src = source;
  let flags = (icase ? 'i' : '') + (global ? 'g' : '');
  const inline = /^\(\?([a-z]+)\)/.exec(src);
  if (inline && /^[imsx]+$/.test(inline[1]!)) {
    for (const f of inline[1]!) if (f !== 'x' && !flags.includes(f)) flags += f;
    src = src.slice(inline[0].length);
  }
  src = src
    .replace(/\[:(\w+):\]/g, (m, name: string) => POSIX[name] ?? m)
    .replace(/\\A/g, '^')
    .replace(/\\[zZ]/g, '$');
  try {
    return new RegExp(src, flags);
  } catch (e) {
    return `regex '${source}' is invalid (${(e as Error).message})`;
  }
}
