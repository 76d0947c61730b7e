// Reading a bind or server line's TLS options by name, with the global
// `ssl-default-bind-options` / `ssl-default-server-options` as fallbacks (HAProxy applies those
// to every line that does not set the option itself).
import type { Word } from '@haplo/parser';

export interface OptionSource {
  /** Option words by name: flags map to `[]`, valued options to their value word(s), in order. */
  get(name: string): Word[] | undefined;
}

export class TlsOptionReader {
  constructor(
    private readonly own: OptionSource,
    private readonly defaults: OptionSource,
  ) {}

  has(name: string): boolean {
    return this.own.get(name) !== undefined || this.defaults.get(name) !== undefined;
  }

  /** The last value written for `name` (the line's own first, else the global default). */
  word(name: string): Word | undefined {
    const own = this.own.get(name);
    if (own && own.length) return own[own.length - 1];
    const d = this.defaults.get(name);
    return d && d.length ? d[d.length - 1] : undefined;
  }

  value(name: string): string | undefined {
    return this.word(name)?.value;
  }
}

/** Splits `ssl-default-*-options` words into options, flag or valued as `isFlag` says. */
export function optionMap(words: readonly Word[], isFlag: (name: string) => boolean): Map<string, Word[]> {
  const out = new Map<string, Word[]>();
  for (let i = 0; i < words.length; i++) {
    const name = words[i]!.value;
    const args: Word[] = [];
    if (!isFlag(name) && i + 1 < words.length) args.push(words[++i]!);
    const prev = out.get(name);
    if (prev) prev.push(...args);
    else out.set(name, args);
  }
  return out;
}
