// `show servers state`, `set server <b>/<s> state|weight`, `disable|enable server`, `get weight`:
// operator changes go through the Runtime the pipeline balances on, so a server in MAINT or
// DRAIN leaves the rotation at once. Wording and layout as HAProxy 2.6 prints them.
import type { SimRuntime } from '@haplo/sim';
import { proxyIds } from '../stats/rows.js';
import type { StatsSource } from '../stats/sources.js';

const STATE_HEADER = '# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port';

/** HCHK_STATUS_* numbers (checks.h) for the statuses haplo's checks produce. */
const CHECK_STATUS_CODE: Readonly<Record<string, number>> = {
  SOCKERR: 5, L4OK: 6, L4TOUT: 7, L4CON: 8, L6OK: 9, L6TOUT: 10, L6RSP: 11, L7TOUT: 12, L7RSP: 13, L7OK: 15, L7STS: 17,
};

/** `show servers state [backend]`: version line `1`, the header, one line per server. */
export function showServersState(src: StatsSource, only: string | undefined): string {
  if (only !== undefined && !src.runtime.backend(only)) return `Can't find backend '${only}'.\n`;
  const ids = proxyIds(src);
  let out = `1\n${STATE_HEADER}\n`;
  const now = src.now();
  for (const be of src.runtime.backends.values()) {
    if (only !== undefined && be.name !== only) continue;
    const forcedBe = be.proxy.statements.some((s) => s.keyword === 'id' && s.line.active) ? 1 : 0;
    for (const s of be.servers) {
      const model = be.proxy.servers[s.index]!;
      const check = src.health?.state(be.name, s.name);
      const hist = src.history(be.name, s.name);
      const changedAt = Math.max(hist.changedAt, check?.lastChangeAt ?? 0, src.stats.startedAt);
      const op = s.status === 'UP' || s.status === 'DRAIN' ? 2 : 0;
      const admin = hist.admin || (s.status === 'MAINT' ? (model.disabled ? 0x04 : 0x01) : 0);
      const checked = check?.running === true;
      const last = check?.last;
      const health = checked ? check!.health : hist.maintained || s.status === 'MAINT' ? 0 : model.options.has('rise') ? Number(model.options.get('rise')![0]?.value) : 2;
      const fields = [
        ids.get(be.name), be.name, s.id, s.name, model.host ?? '-', op, admin, s.weight, s.initialWeight,
        Math.max(0, Math.floor((now - changedAt) / 1000)),
        last ? CHECK_STATUS_CODE[last.status] ?? 0 : 1, last ? (last.status.endsWith('OK') ? 3 : 2) : 0, health,
        checked ? 6 : 0, 0, forcedBe, model.options.has('id') ? 1 : 0, '-', model.port ?? 0, '-',
        model.options.has('ssl') ? 1 : 0, Number(model.options.get('port')?.[0]?.value ?? 0), '-', '-', 0,
      ];
      out += fields.join(' ') + '\n';
    }
  }
  return out + '\n';
}

function findServer(rt: SimRuntime, spec: string | undefined): { backend: string; server: string } | string {
  const slash = spec?.indexOf('/') ?? -1;
  if (!spec || slash < 0) return 'Require \'backend/server\'.\n';
  const backend = spec.slice(0, slash);
  const server = spec.slice(slash + 1);
  if (!rt.backend(backend)) return 'No such backend.\n';
  if (!rt.serverState(backend, server)) return 'No such server.\n';
  return { backend, server };
}

/** MAINT / DRAIN / ready as the operator sets them (admin flags FMAINT, FDRAIN). */
function setAdmin(src: StatsSource, backend: string, server: string, state: 'ready' | 'drain' | 'maint'): void {
  const rt = src.runtime;
  const hist = src.history(backend, server);
  const check = src.health?.state(backend, server);
  const before = rt.serverState(backend, server)!.status;
  if (state === 'maint') {
    hist.admin = 0x01;
    hist.maintained = true;
    rt.setServerState(backend, server, 'MAINT');
  } else if (state === 'drain') {
    hist.admin = 0x08;
    rt.setServerState(backend, server, check && check.running && check.state === 'DOWN' ? 'DOWN' : 'DRAIN');
  } else {
    hist.admin = 0;
    rt.setServerState(backend, server, check && check.running && check.state === 'DOWN' ? 'DOWN' : 'UP');
  }
  if (rt.serverState(backend, server)!.status !== before) hist.changedAt = src.now();
}

/** `weight N` or `weight N%` (of the initial weight), as `set server … weight` and `set weight`. */
function setWeight(src: StatsSource, backend: string, server: string, text: string | undefined): string {
  const s = src.runtime.serverState(backend, server)!;
  const m = /^(\d+)(%?)$/.exec(text ?? '');
  if (!m) return 'Require <weight> or <weight%>.\n';
  let w = Number(m[1]);
  if (m[2]) {
    w = Math.floor((s.initialWeight * w) / 100);
    if (w > 256) return 'Relative weight too high.\n';
  } else if (w > 256) return 'Absolute weight can only be between 0 and 256 inclusive.\n';
  src.runtime.setWeight(backend, server, w);
  return '\n';
}

export function setServer(src: StatsSource, args: readonly string[]): string {
  const found = findServer(src.runtime, args[0]);
  if (typeof found === 'string') return found;
  const { backend, server } = found;
  const what = args[1];
  if (what === 'state') {
    const state = args[2];
    if (state !== 'ready' && state !== 'drain' && state !== 'maint') return "'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n";
    setAdmin(src, backend, server, state);
    return '\n';
  }
  if (what === 'weight') return setWeight(src, backend, server, args[2]);
  return "'set server <srv>' only supports 'agent', 'health', 'state', 'weight', 'addr', 'fqdn', 'check-addr', 'check-port' and 'ssl'.\n";
}

export function setWeightCommand(src: StatsSource, args: readonly string[]): string {
  const found = findServer(src.runtime, args[0]);
  if (typeof found === 'string') return found;
  return setWeight(src, found.backend, found.server, args[1]);
}

export function getWeight(src: StatsSource, args: readonly string[]): string {
  const found = findServer(src.runtime, args[0]);
  if (typeof found === 'string') return found;
  const s = src.runtime.serverState(found.backend, found.server)!;
  return `${s.weight} (initial ${s.initialWeight})\n\n`;
}

/** `disable server` / `enable server` (deprecated aliases of state maint / ready). */
export function toggleServer(src: StatsSource, args: readonly string[], enable: boolean): string {
  const found = findServer(src.runtime, args[0]);
  if (typeof found === 'string') return found;
  setAdmin(src, found.backend, found.server, enable ? 'ready' : 'maint');
  return '\n';
}
