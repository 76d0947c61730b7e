// syslog facilities, levels and the line formats HAProxy 2.6 can send (manual §4.2 "log").

/** The 24 facilities, in their numeric order (kern = 0 … local7 = 23). */
export const FACILITIES = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news',
  'uucp', 'cron', 'auth2', 'ftp', 'ntp', 'audit', 'alert', 'cron2',
  'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
] as const;

/** Levels, most severe first (emerg = 0 … debug = 7). */
export const LOG_LEVELS = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export const LEVEL_INFO = 6;
export const LEVEL_ERR = 3;

/**
 * How a line is framed. `local` (the default) is RFC 3164 without the hostname; with
 * `log-send-hostname` an unspecified format becomes `rfc3164`.
 */
export const SYSLOG_FORMATS = ['local', 'rfc3164', 'rfc5424', 'priority', 'short', 'timed', 'iso', 'raw'] as const;
export type SyslogFormat = (typeof SYSLOG_FORMATS)[number];

export const facilityNumber = (name: string): number => (FACILITIES as readonly string[]).indexOf(name);
export const levelNumber = (name: string): number => (LOG_LEVELS as readonly string[]).indexOf(name);
