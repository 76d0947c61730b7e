// Time converters: ltime/utime (strftime on seconds since the epoch) and http_date (IMF-fixdate).
import { str } from '../sample/sample.js';
import type { ConverterDef } from './registry.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const DAYS_LONG = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTHS_LONG = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const p2 = (n: number): string => String(n).padStart(2, '0');

/** A subset of C strftime: the conversions log formats use. */
export function strftime(format: string, epochSeconds: number, utc: boolean): string {
  const d = new Date(epochSeconds * 1000);
  const Y = utc ? d.getUTCFullYear() : d.getFullYear();
  const m = utc ? d.getUTCMonth() : d.getMonth();
  const day = utc ? d.getUTCDate() : d.getDate();
  const H = utc ? d.getUTCHours() : d.getHours();
  const M = utc ? d.getUTCMinutes() : d.getMinutes();
  const S = utc ? d.getUTCSeconds() : d.getSeconds();
  const w = utc ? d.getUTCDay() : d.getDay();
  const off = utc ? 0 : -d.getTimezoneOffset();
  const z = (off >= 0 ? '+' : '-') + p2(Math.floor(Math.abs(off) / 60)) + p2(Math.abs(off) % 60);
  const startOfYear = utc ? Date.UTC(Y, 0, 1) : new Date(Y, 0, 1).getTime();
  const yday = Math.floor((d.getTime() - startOfYear) / 86400000) + 1;
  return format.replace(/%([a-zA-Z%])/g, (all, c: string) => {
    switch (c) {
      case 'Y': return String(Y);
      case 'y': return p2(Y % 100);
      case 'm': return p2(m + 1);
      case 'd': return p2(day);
      case 'e': return String(day).padStart(2, ' ');
      case 'H': return p2(H);
      case 'I': return p2(H % 12 === 0 ? 12 : H % 12);
      case 'M': return p2(M);
      case 'S': return p2(S);
      case 'p': return H < 12 ? 'AM' : 'PM';
      case 'a': return DAYS[w]!;
      case 'A': return DAYS_LONG[w]!;
      case 'b': case 'h': return MONTHS[m]!;
      case 'B': return MONTHS_LONG[m]!;
      case 'j': return String(yday).padStart(3, '0');
      case 'u': return String(w === 0 ? 7 : w);
      case 'w': return String(w);
      case 's': return String(Math.floor(epochSeconds));
      case 'z': return z;
      case 'Z': return utc ? 'GMT' : (Intl.DateTimeFormat('en', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? '');
      case 'T': return `${p2(H)}:${p2(M)}:${p2(S)}`;
      case 'R': return `${p2(H)}:${p2(M)}`;
      case 'D': return `${p2(m + 1)}/${p2(day)}/${p2(Y % 100)}`;
      case 'F': return `${Y}-${p2(m + 1)}-${p2(day)}`;
      case 'n': return '\n';
      case 't': return '\t';
      case '%': return '%';
      default: return all;
    }
  });
}

function timeConverter(name: string, utc: boolean): ConverterDef {
  return {
    name,
    input: 'sint',
    output: 'str',
    compile(args) {
      const format = args[0] ?? '';
      const offset = Number(args[1] ?? 0);
      return (s) => str(strftime(format, (s.value as number) + offset, utc));
    },
  };
}

export const timeConverters: readonly ConverterDef[] = [
  timeConverter('ltime', false),
  timeConverter('utime', true),
  {
    name: 'http_date',
    input: 'sint',
    output: 'str',
    compile(args) {
      const offset = Number(args[0] ?? 0);
      const unit = args[1] ?? 's';
      const div = unit === 'ms' ? 1000 : unit === 'us' ? 1_000_000 : 1;
      return (s) => str(strftime('%a, %d %b %Y %T GMT', Math.floor((s.value as number) / div) + offset, true));
    },
  },
];
