// What a reload keeps of the running state, as HAProxy keeps it across a reload when it is told
// to (a local `peers` section for stick tables, `server-state-file` for servers): haplo always
// does. Stick tables with the same name and key type share their entries with the new Runtime;
// servers with the same backend and name keep the status (MAINT, DRAIN, DOWN by health checks)
// and weight that the running process changed. The new health checks start from that status.
import { adoptState, type AdoptedState } from '@haplo/sim';
import type { ProxyContext } from './types.js';

export function carryState(to: ProxyContext, from: ProxyContext): AdoptedState {
  return adoptState(to.runtime, from.runtime);
}
