// Time and size values as HAProxy reads them in the few keywords the running proxy needs
// (`maxconn 100`, `tune.bufsize 32k`, `tcp-request inspect-delay 5s`). Bad input gives undefined.

const TIME_UNITS: Readonly<Record<string, number>> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const TIME_RE = /^(\d+)(us|ms|s|m|h|d)?/;

/** Milliseconds for `10s`, `500ms`, `1m`… (a bare number is milliseconds). */
export function parseTime(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const m = TIME_RE.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * TIME_UNITS[m[2] ?? 'ms']!;
}

/** Bytes for `16384`, `16k`, `1m` (powers of 1024). */
export function parseSize(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const m = /^(\d+)([kKmMgG])?$/.exec(text);
  if (!m) return undefined;
  const unit = m[2]?.toLowerCase();
  return Number(m[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1);
}

/** A plain non-negative integer. */
export function parseCount(text: string | undefined): number | undefined {
  return text && /^\d+$/.test(text) ? Number(text) : undefined;
}
