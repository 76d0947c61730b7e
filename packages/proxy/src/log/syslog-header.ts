// The header HAProxy puts before a log message, per target format (src/log.c build_log_header):
//   local    <PRI>Mmm dd hh:mm:ss TAG[PID]: msg          (the default)
//   rfc3164  <PRI>Mmm dd hh:mm:ss HOST TAG[PID]: msg     (HOST: log-send-hostname, else localhost)
//   rfc5424  <PRI>1 ISO-DATE HOST|- TAG PID - SD msg
//   priority <PRI>msg      short <LEVEL>msg      timed <LEVEL>ISO-DATE msg
//   iso      ISO-DATE msg  raw   msg
// PRI is facility * 8 + level; the day of the RFC 3164 date is padded with a space.
import { isoDate, syslogDate } from './log-dates.js';
import type { SyslogFormat } from './syslog-names.js';

export interface HeaderFacts {
  /** log-send-hostname; undefined when not set. */
  hostname?: string;
  /** log-tag of the proxy, else of the global section, else the program name. */
  tag: string;
  pid: number;
  /** RFC 5424 structured data (log-format-sd), `-` when none. */
  sd: string;
}

/** The format a target without `format` uses. */
export function effectiveFormat(format: SyslogFormat | undefined, facts: HeaderFacts): SyslogFormat {
  return format ?? (facts.hostname ? 'rfc3164' : 'local');
}

// The RFC 3164 date only changes once a second: keep the last one.
let cachedSecond = -1;
let cachedDate = '';
function legacyDate(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedDate = syslogDate(ms);
  }
  return cachedDate;
}

export function syslogHeader(format: SyslogFormat, level: number, facility: number, facts: HeaderFacts, now: number): string {
  const pri = `<${facility * 8 + level}>`;
  const tagged = facts.tag ? `${facts.tag}[${facts.pid}]: ` : '';
  switch (format) {
    case 'local':
      return `${pri}${legacyDate(now)} ${tagged}`;
    case 'rfc3164':
      return `${pri}${legacyDate(now)} ${facts.hostname || 'localhost'} ${tagged}`;
    case 'rfc5424':
      return `${pri}1 ${isoDate(now)} ${facts.hostname || '-'} ${facts.tag || '-'} ${facts.pid} - ${facts.sd.replace(/ +$/, '') || '-'} `;
    case 'priority':
      return pri;
    case 'short':
      return `<${level}>`;
    case 'timed':
      return `<${level}>${isoDate(now)} `;
    case 'iso':
      return `${isoDate(now)} `;
    case 'raw':
      return '';
  }
}
