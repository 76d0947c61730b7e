// Keyword checks: unknown or misplaced keywords, actions, options and server/bind options,
// modifiers, argument shapes, log targets, socket addresses, deprecations, mode-dependent settings, rule order,
// unreachable rules, whole-proxy requirements and missing files. Each check is one pass over the
// model.
import type { Check } from '../registry.js';
import { argumentsCheck } from './arguments.js';
import { commentStyleCheck } from './comment-style.js';
import { conditionWordsCheck } from './condition-words.js';
import { deprecatedCheck } from './deprecated.js';
import { missingFilesCheck } from './files.js';
import { httpInTcpModeCheck } from './http-in-tcp.js';
import { logTargetsCheck } from './log-targets.js';
import { modifierCheck } from './modifiers.js';
import { namesCheck } from './names.js';
import { placementCheck } from './placement.js';
import { frontendWithoutBindCheck, missingTimeoutsCheck, programMasterWorkerCheck } from './proxy-structure.js';
import { ruleOrderCheck } from './rule-order.js';
import { serverBindOptionsCheck } from './server-bind-options.js';
import { socketAddressesCheck } from './socket-addresses.js';
import { unknownActionCheck } from './unknown-action.js';
import { unknownKeywordCheck } from './unknown-keyword.js';
import { unreachableRuleCheck } from './unreachable.js';

export const keywordChecks: Check[] = [
  commentStyleCheck,
  unknownKeywordCheck,
  unknownActionCheck,
  serverBindOptionsCheck,
  placementCheck,
  modifierCheck,
  argumentsCheck,
  logTargetsCheck,
  socketAddressesCheck,
  conditionWordsCheck,
  namesCheck,
  deprecatedCheck,
  httpInTcpModeCheck,
  ruleOrderCheck,
  unreachableRuleCheck,
  missingTimeoutsCheck,
  frontendWithoutBindCheck,
  programMasterWorkerCheck,
  missingFilesCheck,
];
