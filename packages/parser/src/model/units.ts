// Time and size values as HAProxy reads them (reference §1.6), and comma lists that respect
// parentheses. Bad input gives undefined, never an exception.

const TIME_UNITS: Readonly<Record<string, number>> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
// 2.6 only warns about characters after a valid unit (`30sec` is 30 s), so they are ignored here.
const TIME_RE = /^(\d+)(?:(us|ms|s|m|h|d)[^]*)?$/;

/** Milliseconds for `10s`, `500ms`, `1m`…; `defaultUnit` applies to a bare number. */
export function parseTime(text: string | undefined, defaultUnit: 'us' | 'ms' | 's' = 'ms'): number | undefined {
  if (!text) return undefined;
  const m = TIME_RE.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * TIME_UNITS[m[2] ?? defaultUnit]!;
}

const SIZE_RE = /^(\d+)([kKmMgG])?$/;

/** Bytes (or entries) for `16k`, `1m`, `2g` (powers of 1024). */
export function parseSize(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const m = SIZE_RE.exec(text);
  if (!m) return undefined;
  const unit = m[2]?.toLowerCase();
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Number(m[1]) * mult;
}

/** A plain non-negative integer, or undefined. */
export function parseInteger(text: string | undefined): number | undefined {
  if (!text || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

/** Splits `a(1,2),b,c` on commas outside parentheses, with each piece's start index. */
export function splitTopLevel(text: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40) depth++;
    else if (c === 41) depth = Math.max(0, depth - 1);
    else if (c === 44 && depth === 0) {
      out.push({ text: text.slice(start, i), start });
      start = i + 1;
    }
  }
  out.push({ text: text.slice(start), start });
  return out;
}
