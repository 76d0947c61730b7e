// Checks on sample expressions, ACLs and conditions.
import type { Check } from '../registry.js';
import { aclNamesCheck } from './acl-names.js';
import { aclPatternsCheck } from './acl-patterns.js';
import { argumentsCheck } from './arguments.js';
import { failedAclUsesCheck } from './failed-acl-uses.js';
import { fetchPhasesCheck } from './fetch-phases.js';
import { patternFilesCheck } from './pattern-files.js';
import { unknownNamesCheck } from './unknown-names.js';
import { unusedAclsCheck } from './unused-acls.js';
import { variablesCheck } from './variables.js';

export const expressionChecks: Check[] = [
  unknownNamesCheck,
  argumentsCheck,
  variablesCheck,
  aclPatternsCheck,
  patternFilesCheck,
  aclNamesCheck,
  unusedAclsCheck,
  fetchPhasesCheck,
  // Last: reads the errors of the checks above.
  failedAclUsesCheck,
];
