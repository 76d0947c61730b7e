// Reads a health check's HTTP response: the status line, the headers, and (when an expect rule
// needs it) the body — by content-length, chunked, or up to the close — within one buffer's worth
// (tune.bufsize, 16 kB), as HAProxy's check buffer holds no more.
export const CHECK_BUFFER = 16384;

export type ParsedResponse =
  | { kind: 'more' }
  | { kind: 'invalid' }
  | { kind: 'done'; code: number; reason: string; body: string };

const STATUS_LINE = /^HTTP\/\d\.\d (\d{3})(?: (.*))?$/;

/**
 * Parses what arrived so far (`text` as latin1). `closed`: the server ended the connection, so
 * whatever is there is all there is. `withBody`: read the body too.
 */
export function parseCheckResponse(text: string, closed: boolean, withBody: boolean): ParsedResponse {
  const full = closed || text.length >= CHECK_BUFFER;
  const headEnd = text.indexOf('\r\n\r\n');
  if (headEnd < 0) return full ? { kind: 'invalid' } : { kind: 'more' };
  const lines = text.slice(0, headEnd).split('\r\n');
  const m = STATUS_LINE.exec(lines[0]!);
  if (!m) return { kind: 'invalid' };
  const code = Number(m[1]);
  const reason = m[2] ?? '';
  if (!withBody) return { kind: 'done', code, reason, body: '' };
  let length: number | undefined;
  let chunked = false;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-length' && /^\d+$/.test(value)) length = Number(value);
    else if (name === 'transfer-encoding' && /chunked/i.test(value)) chunked = true;
  }
  const raw = text.slice(headEnd + 4);
  if (chunked) {
    const decoded = dechunk(raw);
    if (decoded !== undefined) return { kind: 'done', code, reason, body: decoded };
    return full ? { kind: 'done', code, reason, body: raw } : { kind: 'more' };
  }
  if (length !== undefined) {
    if (raw.length >= length) return { kind: 'done', code, reason, body: raw.slice(0, length) };
    return full ? { kind: 'done', code, reason, body: raw } : { kind: 'more' };
  }
  // No length: the body runs to the close.
  return full ? { kind: 'done', code, reason, body: raw } : { kind: 'more' };
}

/** The body of a complete chunked encoding, else undefined (more to come). */
function dechunk(raw: string): string | undefined {
  let out = '';
  let pos = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', pos);
    if (eol < 0) return undefined;
    const size = Number.parseInt(raw.slice(pos, eol), 16);
    if (!Number.isFinite(size)) return undefined;
    if (size === 0) return out;
    const start = eol + 2;
    if (raw.length < start + size + 2) return undefined;
    out += raw.slice(start, start + size);
    pos = start + size + 2;
  }
}
