// The checks split in two phases for incremental analysis. Content checks read a statement's own
// section, the defaults it inherits and the global section; reference checks (checks/references)
// read names declared and used across sections. allChecks runs every content check first, so
// running the phases one after the other (the second seeing the first's errors as prior ones)
// gives exactly allChecks' result.
import { allChecks } from '../checks/index.js';
import { referenceChecks } from '../checks/references/index.js';
import type { Check } from '../checks/registry.js';

export interface CheckPhases {
  content: readonly Check[];
  reference: readonly Check[];
}

function split(): CheckPhases | undefined {
  const reference = new Set(referenceChecks);
  const firstReference = allChecks.findIndex((c) => reference.has(c));
  const phases = {
    content: allChecks.filter((c) => !reference.has(c)),
    reference: allChecks.filter((c) => reference.has(c)),
  };
  // Should the order ever interleave, the phases would not add up to allChecks: no incremental analysis.
  if (firstReference >= 0 && phases.content.length !== firstReference) return undefined;
  return phases;
}

/** The two phases, or undefined when allChecks cannot be split that way. */
export const checkPhases: CheckPhases | undefined = split();
