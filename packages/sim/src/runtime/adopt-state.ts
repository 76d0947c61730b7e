// Carrying live state from one Runtime into the Runtime of a reloaded configuration (`haplo run`
// on SIGHUP), as HAProxy does with a local `peers` section (stick tables) and a server-state file
// (server states and weights):
//  - a stick table with the same name and key type shares the old table's entries: the streams
//    still running on the old configuration and the new ones count into the same entries;
//  - a server with the same backend and name keeps the status and weight that differ from what
//    the old configuration started it with (set by an operator or by the health checks), so an
//    edit of the configuration itself (`disabled` removed, a new `weight`) still takes effect.
import type { Runtime } from './runtime.js';

export interface AdoptedState {
  /** Tables whose entries were taken over. */
  tables: string[];
  /** `backend/server` whose status or weight was taken over. */
  servers: string[];
}

export function adoptState(to: Runtime, from: Runtime): AdoptedState {
  const out: AdoptedState = { tables: [], servers: [] };
  for (const [name, table] of to.tables) {
    const old = from.tables.get(name);
    if (!old || old.type !== table.type) continue;
    table.entries = old.entries;
    table.seq = old.seq;
    out.tables.push(name);
  }
  for (const [name, be] of to.backends) {
    const oldBe = from.backends.get(name);
    if (!oldBe) continue;
    for (const s of be.servers) {
      const old = oldBe.byName.get(s.name);
      if (!old) continue;
      const declared = oldBe.proxy.servers.find((d) => d.name === s.name);
      const startedAs = declared?.disabled ? 'MAINT' : 'UP';
      let carried = false;
      if (old.status !== startedAs) carried = to.setServerState(name, s.name, old.status) || carried;
      if (old.weight !== old.initialWeight) carried = to.setWeight(name, s.name, old.weight) || carried;
      if (carried) out.servers.push(`${name}/${s.name}`);
    }
  }
  return out;
}
