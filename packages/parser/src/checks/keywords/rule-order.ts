// Rules written in an order different from the one HAProxy runs them in. HAProxy 2.6 warns
// "a 'X' rule placed after a 'Y' rule will still be processed before." for these kinds, in
// processing order: tcp-request connection < session < content < monitor fail < http-request <
// redirect < use_backend < use-server; it names the earliest later kind already written.
import type { Section, Statement } from '../../ast/nodes.js';
import { codes } from '../../diagnostics/codes.js';
import type { Check } from '../registry.js';
import { statementVisits, type StatementVisit } from '../statement-visits.js';

/** Processing stage of a statement, or -1 when it takes no part in ordering. */
function stage(sc: StatementVisit): number {
  if (sc.type === 'rule') {
    // A rule's keyword is its rule set: the statement itself need not be read.
    switch (sc.keyword) {
      case 'tcp-request connection': return 0;
      case 'tcp-request session': return 1;
      case 'tcp-request content': return 2;
      case 'http-request': return 4;
      default: return -1;
    }
  }
  switch (sc.keyword) {
    case 'monitor fail': return 3;
    case 'redirect': return 5;
    case 'use_backend': return 6;
    case 'use-server': return 7;
    default: return -1;
  }
}

const WRITTEN = ['tcp-request', 'tcp-request', 'tcp-request', 'monitor fail', 'http-request', 'redirect', 'use_backend', 'use-server'];
const AFTER = [
  "a 'tcp-request connection' rule", "a 'tcp-request session' rule", "a 'tcp-request content' rule", "a 'monitor fail' rule",
  "an 'http-request' rule", "a 'redirect' rule", "a 'use_backend' rule", "a 'use-server' rule",
];

export const ruleOrderCheck: Check = {
  name: 'rule-order',
  run(ctx) {
    // Statements come section by section: `firstOf` holds the first statement of each stage
    // seen so far in the current section.
    let section: Section | undefined;
    const firstOf: (Statement | undefined)[] = new Array(8).fill(undefined);
    const visits = statementVisits(ctx.model);
    for (let n = 0; n < visits.length; n++) {
      const sc = visits[n]!;
      if (!sc.inProxySection || sc.hasModifier || sc.slashComment) continue;
      const s = stage(sc);
      if (s < 0) continue;
      const file = sc.file;
      if (sc.section !== section) {
        section = sc.section;
        firstOf.fill(undefined);
      }
      const stmt = sc.stmt;
      for (let later = s + 1; later < 8; later++) {
        const first = firstOf[later];
        if (first) {
          ctx.report(codes.ruleOrder, file, stmt.range, `a '${WRITTEN[s]}' rule placed after ${AFTER[later]} will still be processed before.`, {
            related: [{ file, range: first.range, message: 'this rule is written earlier but runs later' }],
          });
          break;
        }
      }
      firstOf[s] ??= stmt;
    }
  },
};
