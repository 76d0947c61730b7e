// One table from action name to its compiler. An action HAProxy has but this table lacks is
// compiled to a rule that reports itself unsupported in the trace — never a silent pass.
import { counterActions } from './counters.js';
import { controlActions } from './control.js';
import { headerActions } from './headers.js';
import { mapActions } from './maps.js';
import { redirectActions } from './redirect.js';
import { replyActions } from './replies.js';
import { serviceActions } from './services.js';
import type { ActionCompiler } from './types.js';
import { uriActions } from './uri.js';
import { variableActions } from './variables.js';

const ACTIONS: ReadonlyMap<string, ActionCompiler> = new Map(Object.entries({
  ...controlActions,
  ...replyActions,
  ...redirectActions,
  ...headerActions,
  ...uriActions,
  ...variableActions,
  ...counterActions,
  ...mapActions,
  ...serviceActions,
}));

/** The compiler for an action name (without its parenthesised argument), if simulated. */
export function actionCompiler(name: string): ActionCompiler | undefined {
  return ACTIONS.get(name);
}

/** Every action name the simulator executes. */
export function simulatedActions(): string[] {
  return [...ACTIONS.keys()].sort();
}
