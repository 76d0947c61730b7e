// An ordered header list keeping names as received; lookups are case-insensitive. Rewriting
// actions mutate it in place, so later rules see the change (HAProxy's HTX does the same).

export interface Header {
  name: string;
  value: string;
}

export interface HeaderList {
  /** Every header line in order, names as written. */
  readonly entries: Header[];
}

export function headerList(pairs: Iterable<readonly [string, string]> = []): HeaderList {
  if (Array.isArray(pairs)) {
    // Every request and response comes as an array: no iterator per pair.
    const list = pairs as readonly (readonly [string, string])[];
    const entries: Header[] = [];
    for (let i = 0; i < list.length; i++) {
      const pair = list[i]!;
      entries.push({ name: pair[0], value: pair[1] });
    }
    return { entries };
  }
  const entries: Header[] = [];
  for (const [name, value] of pairs) entries.push({ name, value });
  return { entries };
}

const lower = (s: string): string => s.toLowerCase();

/** `name` (as written) equals `lowered` (already lower-case), ignoring case; no allocation when lengths differ. */
const sameName = (name: string, lowered: string): boolean =>
  name.length === lowered.length && (name === lowered || name.toLowerCase() === lowered);

/** Full values (one per header line) of `name`, in order; every line when `name` is undefined. */
export function fullValues(h: HeaderList, name: string | undefined): string[] {
  const out: string[] = [];
  if (name === undefined) {
    for (const e of h.entries) out.push(e.value);
    return out;
  }
  const n = lower(name);
  for (const e of h.entries) if (sameName(e.name, n)) out.push(e.value);
  return out;
}

/** The first full value of `name`. */
export function firstValue(h: HeaderList, name: string): string | undefined {
  const n = lower(name);
  for (const e of h.entries) if (sameName(e.name, n)) return e.value;
  return undefined;
}

/**
 * The raw pieces of a header value between commas outside double quotes, blanks kept: what
 * HAProxy's comma split (`http_find_header` without the full flag) sees before trimming, and what
 * `replace-value` rewrites piece by piece.
 */
export function commaPieces(value: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\\' && quoted) i++;
    else if (c === ',' && !quoted) {
      out.push(value.slice(start, i));
      start = i + 1;
    }
  }
  out.push(value.slice(start));
  return out;
}

/** HAProxy's comma split: the values between commas outside quotes, blanks around each trimmed. */
export function splitCommas(value: string): string[] {
  return commaPieces(value).map((p) => p.trim());
}

/** Comma-separated values of `name` across all its lines (every header when undefined). */
export function splitValues(h: HeaderList, name: string | undefined): string[] {
  const out: string[] = [];
  for (const v of fullValues(h, name)) for (const part of splitCommas(v)) out.push(part);
  return out;
}

/**
 * Picks the occurrence HAProxy's `occ` argument names: 1 = first, -1 = last, 0/undefined = last.
 */
export function pickOccurrence(values: readonly string[], occ: number | undefined): string | undefined {
  if (values.length === 0) return undefined;
  if (occ === undefined || occ === 0) return values[values.length - 1];
  if (occ > 0) return values[occ - 1];
  return values[values.length + occ];
}

export function hasHeader(h: HeaderList, name: string): boolean {
  return firstValue(h, name) !== undefined;
}

/** Appends a header line (`add-header`). */
export function addHeader(h: HeaderList, name: string, value: string): void {
  h.entries.push({ name, value });
}

/** Removes every line of `name`; returns how many were removed (`del-header`). */
export function deleteHeader(h: HeaderList, name: string): number {
  const n = lower(name);
  // Compacted in place (order kept): set-header runs this on every request it applies to.
  const entries = h.entries;
  let kept = 0;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (!sameName(e.name, n)) entries[kept++] = e;
  }
  const removed = entries.length - kept;
  entries.length = kept;
  return removed;
}

/** Replaces every line of `name` with one line (`set-header`), appended at the end as HAProxy does. */
export function setHeader(h: HeaderList, name: string, value: string): void {
  deleteHeader(h, name);
  addHeader(h, name, value);
}
