// Global `hard-stop-after <time>`: how long a soft stop (SIGUSR1), or a generation retired by a
// reload, may wait for its connections to finish before the rest are closed. Unset: no limit.
import type { Model } from '@haplo/parser';
import { lastStatement } from '../config/statements.js';
import { parseTime } from '../config/units.js';

export function hardStopAfter(model: Model): number | undefined {
  return parseTime(lastStatement(model.global.statements, 'hard-stop-after')?.args[0]?.value);
}
