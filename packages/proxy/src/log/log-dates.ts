// The date layouts of HAProxy logs: %t/%tr (local, milliseconds), %T/%trg (GMT), %Tl/%trl (local
// with its offset), the RFC 3164 header date and the RFC 5424 ISO timestamp.

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

const p2 = (n: number): string => (n < 10 ? '0' : '') + n;
const p3 = (n: number): string => (n < 10 ? '00' : n < 100 ? '0' : '') + n;

/** `+hhmm` / `-hhmm` for a local time (Date#getTimezoneOffset is minutes west of UTC). */
function offset(d: Date, colon: boolean): string {
  const west = d.getTimezoneOffset();
  const east = -west;
  const a = Math.abs(east);
  return (east >= 0 ? '+' : '-') + p2(Math.floor(a / 60)) + (colon ? ':' : '') + p2(a % 60);
}

/** `06/Feb/2009:12:14:14.655`, local time (%t, %tr). */
export function localMillisDate(ms: number): string {
  const d = new Date(ms);
  return `${p2(d.getDate())}/${MONTHS[d.getMonth()]}/${d.getFullYear()}:${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${p3(d.getMilliseconds())}`;
}

/** `06/Feb/2009:12:14:14 +0000`, GMT (%T, %trg). */
export function gmtDate(ms: number): string {
  const d = new Date(ms);
  return `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
}

/** `06/Feb/2009:13:14:14 +0100`, local time with its offset (%Tl, %trl). */
export function localOffsetDate(ms: number): string {
  const d = new Date(ms);
  return `${p2(d.getDate())}/${MONTHS[d.getMonth()]}/${d.getFullYear()}:${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())} ${offset(d, false)}`;
}

/** `Feb  6 12:14:14` (day padded with a space), local time: the RFC 3164 header date. */
export function syslogDate(ms: number): string {
  const d = new Date(ms);
  const day = d.getDate();
  return `${MONTHS[d.getMonth()]} ${day < 10 ? ' ' : ''}${day} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`;
}

/** `2009-02-06T12:14:14.655000+00:00`, local time with microseconds: RFC 5424, `timed`, `iso`. */
export function isoDate(ms: number): string {
  const d = new Date(ms);
  const micros = Math.floor((ms - Math.floor(ms / 1000) * 1000) * 1000);
  return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}T${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${String(micros).padStart(6, '0')}${offset(d, true)}`;
}
