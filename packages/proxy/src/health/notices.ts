// The lines HAProxy 2.6 prints on stderr when a check changes a server's state (server.c
// srv_append_status, wording checked against the binary):
//   [WARNING]  (PID) : Server be/s1 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.
//   [ALERT]    (PID) : backend 'be' has no server available!
//   [WARNING]  (PID) : Server be/s1 is UP, reason: Layer7 check passed, code: 200, check duration: 1ms. 1 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.
import type { CheckStatus, ProbeResult } from './check-probe.js';

export type NoticeLevel = 'NOTICE' | 'WARNING' | 'ALERT';

/** Where notices go; `message` has no prefix and no trailing newline. */
export type HealthLogger = (level: NoticeLevel, message: string) => void;

/** HAProxy's layout: `[WARNING]  (pid) : message`, the level padded to 9 characters plus a space. */
export function haproxyLine(level: NoticeLevel, message: string, pid = process.pid): string {
  return `${`[${level}]`.padEnd(11)}(${pid}) : ${message}`;
}

export const stderrLogger: HealthLogger = (level, message) => {
  process.stderr.write(haproxyLine(level, message) + '\n');
};

export const CHECK_DESCRIPTIONS: Readonly<Record<CheckStatus, string>> = {
  L4OK: 'Layer4 check passed',
  L4TOUT: 'Layer4 timeout',
  L4CON: 'Layer4 connection problem',
  L6OK: 'Layer6 check passed',
  L6TOUT: 'Layer6 timeout',
  L6RSP: 'Layer6 invalid response',
  L7OK: 'Layer7 check passed',
  L7STS: 'Layer7 wrong status',
  L7RSP: 'Layer7 invalid response',
  L7TOUT: 'Layer7 timeout',
  SOCKERR: 'Socket error',
};

/** Statuses past HAProxy's L57DATA mark carry an HTTP code in the message. */
const WITH_CODE: ReadonlySet<CheckStatus> = new Set(['L7OK', 'L7STS']);

/** `, reason: …[, code: N][, info: "…"], check duration: Nms`. */
export function reasonText(r: ProbeResult): string {
  let s = `, reason: ${CHECK_DESCRIPTIONS[r.status]}`;
  if (WITH_CODE.has(r.status) && r.code !== undefined) s += `, code: ${r.code}`;
  if (r.info) s += `, info: "${r.info.replace(/["\\]/g, (c) => '\\' + c)}"`;
  return `${s}, check duration: ${r.durationMs}ms`;
}

export interface BackendCounts {
  /** Usable non-backup and backup servers after the change (srv_act, srv_bck). */
  active: number;
  backup: number;
  /** Streams the server serves now. */
  sessions: number;
}

function serverLabel(backend: string, server: string, isBackup: boolean): string {
  return `${isBackup ? 'Backup Server' : 'Server'} ${backend}/${server}`;
}

const onBackup = (c: BackendCounts): string => (c.backup && !c.active ? ' Running on backup.' : '');

export function downNotice(backend: string, server: string, isBackup: boolean, r: ProbeResult, c: BackendCounts): string {
  return `${serverLabel(backend, server, isBackup)} is DOWN${reasonText(r)}. ${c.active} active and ${c.backup} backup servers left.${onBackup(c)} ${c.sessions} sessions active, 0 requeued, 0 remaining in queue.`;
}

export function upNotice(backend: string, server: string, isBackup: boolean, r: ProbeResult, c: BackendCounts): string {
  return `${serverLabel(backend, server, isBackup)} is UP${reasonText(r)}. ${c.active} active and ${c.backup} backup servers online.${onBackup(c)} 0 sessions requeued, 0 total in queue.`;
}

export function noServerAlert(backend: string): string {
  return `backend '${backend}' has no server available!`;
}
