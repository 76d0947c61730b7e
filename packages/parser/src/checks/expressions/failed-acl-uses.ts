// Uses of an ACL whose every `acl` line failed: HAProxy does not declare an ACL whose line it
// refuses (unknown fetch, bad pattern, bad name …), so each later use is "no such ACL" as well
// (verified with `haproxy -c` 2.6.12: `acl is_api pathbeg /api` then `use_backend b if is_api`
// gives both ALERTs). Runs after the other keyword and expression checks, whose errors it reads;
// errors HAProxy finds only after parsing (references, behaviour) do not count.
import { codes } from '../../diagnostics/codes.js';
import type { Check } from '../registry.js';
import { conditionName } from './acl-names.js';
import { aclIndex } from './expression-index.js';

export const failedAclUsesCheck: Check = {
  name: 'failed-acl-uses',
  run(ctx) {
    const index = aclIndex(ctx.model);
    if (!index.some((px) => px.uses.some((u) => u.before.length > 0))) return;
    const failed = new Set<string>();
    for (const d of ctx.errorsSoFar()) {
      if (d.code.startsWith('HAP4') || d.code.startsWith('HAP5')) continue;
      failed.add(`${d.file}:${d.range.start.line}`);
    }
    if (failed.size === 0) return;
    for (const px of index) {
      const uses = px.uses;
      for (let n = 0; n < uses.length; n++) {
        const use = uses[n]!;
        if (use.before.length === 0) continue;
        if (!use.before.every((l) => failed.has(`${px.file}:${l.stmt.line.line}`))) continue;
        const name = use.name;
        const lines = use.before.map((l) => l.stmt.line.line + 1);
        const which = lines.length === 1 ? `the acl line that declares it (line ${lines[0]}) has an error` : `every acl line that declares it (lines ${lines.join(', ')}) has an error`;
        ctx.report(
          codes.undefinedAcl, px.file, use.term.nameRange,
          `error detected while parsing ${conditionName(use.stmt)} : no such ACL : '${name}'. ${which[0]!.toUpperCase()}${which.slice(1)}, so HAProxy does not declare it.`,
          { related: use.before.map((l) => ({ file: px.file, range: l.stmt.name!.range, message: `acl '${name}' fails here` })) },
        );
      }
    }
  },
};
