// ACLs that no condition of their proxy uses (haplo's own advice). HAProxy ignores them, but
// they usually mean a typo in a condition or a rule that was removed.
import { codes } from '../../diagnostics/codes.js';
import type { Check } from '../registry.js';
import { aclIndex } from './expression-index.js';

export const unusedAclsCheck: Check = {
  name: 'unused-acls',
  run(ctx) {
    for (const px of aclIndex(ctx.model)) {
      if (px.lines.size === 0) continue;
      const used = new Set<string>();
      const uses = px.uses;
      for (let n = 0; n < uses.length; n++) {
        const use = uses[n]!;
        used.add(use.name);
      }
      // forEach: no `[name, lines]` array per entry.
      px.lines.forEach((lines, name) => {
        if (used.has(name)) return;
        const first = lines[0]!.stmt;
        const where = px.proxy.kind === 'defaults' ? `defaults '${px.proxy.name}'` : `${px.proxy.kind} '${px.proxy.name}'`;
        ctx.report(
          codes.unusedAcl, px.file, first.name!.range,
          `acl '${name}' is declared in ${where} but no condition uses it.`,
          { unnecessary: true },
        );
      });
    }
  },
};
