// Rules written in an order different from the one HAProxy runs them in. HAProxy 2.6 warns
// "a 'X' rule placed after a 'Y' rule will still be processed before." for these kinds, in
// processing order: tcp-request connection < session < content < monitor fail < http-request <
// redirect < use_backend < use-server; it names the earliest later kind already written.
import type { Section, Statement } from '../../ast/nodes.js';
import { isProxySection } from '../../catalogue/index.js';
import { codes } from '../../diagnostics/codes.js';
import type { Check } from '../registry.js';
import { isSlashComment } from './util.js';

/** Processing stage of a statement, or -1 when it takes no part in ordering. */
function stage(stmt: Statement): number {
  if (stmt.type === 'rule') {
    switch (stmt.ruleSet) {
      case 'tcp-request connection': return 0;
      case 'tcp-request session': return 1;
      case 'tcp-request content': return 2;
      case 'http-request': return 4;
      default: return -1;
    }
  }
  switch (stmt.keyword) {
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

function checkSection(section: Section, report: (stmt: Statement, first: Statement, message: string) => void): void {
  const firstOf: (Statement | undefined)[] = new Array(8).fill(undefined);
  for (const stmt of section.statements) {
    if (stmt.modifier || isSlashComment(stmt)) continue;
    const s = stage(stmt);
    if (s < 0) continue;
    for (let later = s + 1; later < 8; later++) {
      const first = firstOf[later];
      if (first) {
        report(stmt, first, `a '${WRITTEN[s]}' rule placed after ${AFTER[later]} will still be processed before.`);
        break;
      }
    }
    firstOf[s] ??= stmt;
  }
}

export const ruleOrderCheck: Check = {
  name: 'rule-order',
  run(ctx) {
    for (const section of ctx.model.sections) {
      if (!isProxySection(section.kind)) continue;
      checkSection(section, (stmt, first, message) => {
        ctx.report(codes.ruleOrder, section.file, stmt.range, message, {
          related: [{ file: section.file, range: first.range, message: 'this rule is written earlier but runs later' }],
        });
      });
    }
  },
};
