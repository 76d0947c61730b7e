// A `crt-list` file: one certificate per line, `<crtfile> [\[<sslbindconf> …\]] [[!]<snifilter> …]`;
// empty lines and lines starting with `#` are skipped.
export interface CrtListLine {
  /** 1-based line number in the crt-list file. */
  line: number;
  file: string;
  /** `[ … ]` options as name → value (flags map to ''). */
  options: Map<string, string>;
  /** SNI filters as written (`*.example.org`, `!secure.example.org`); empty: the certificate's names. */
  filters: string[];
}

/** crt-list options that take no value. */
const FLAG_OPTIONS = new Set(['allow-0rtt', 'no-ca-names']);

export function parseCrtList(text: string): { lines: CrtListLine[]; errors: { line: number; message: string }[] } {
  const lines: CrtListLine[] = [];
  const errors: { line: number; message: string }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const words = trimmed.split(/\s+/);
    const entry: CrtListLine = { line: i + 1, file: words[0]!, options: new Map(), filters: [] };
    let at = 1;
    if (words[at]?.startsWith('[')) {
      const inner: string[] = [];
      let closed = false;
      for (; at < words.length; at++) {
        let w = words[at]!;
        if (w.startsWith('[')) w = w.slice(1);
        if (w.endsWith(']')) {
          w = w.slice(0, -1);
          closed = true;
        }
        if (w) inner.push(w);
        if (closed) {
          at++;
          break;
        }
      }
      if (!closed) {
        errors.push({ line: i + 1, message: "missing ']' after the options" });
        return;
      }
      for (let j = 0; j < inner.length; j++) {
        const name = inner[j]!;
        if (FLAG_OPTIONS.has(name)) entry.options.set(name, '');
        else if (j + 1 < inner.length) entry.options.set(name, inner[++j]!);
        else errors.push({ line: i + 1, message: `option '${name}' needs a value` });
      }
    }
    entry.filters = words.slice(at);
    lines.push(entry);
  });
  return { lines, errors };
}
