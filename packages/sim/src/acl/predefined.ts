// The ACLs HAProxy defines in every proxy (TRUE, LOCALHOST, METH_GET, …), compiled from the
// catalogue's expansions once per process.
import { catalogue, parseAclExpression, tokenizeLine, defaultEnvironment } from '@haplo/parser';
import { compileAclExpr, type CompiledAclExpr } from './compile.js';

const cache = new Map<string, CompiledAclExpr>();

/** The compiled predefined ACL `name`, or undefined when HAProxy has none by that name. */
export function predefinedAcl(name: string): CompiledAclExpr | undefined {
  const hit = cache.get(name);
  if (hit) return hit;
  const spec = catalogue.getPredefinedAcl(name);
  if (!spec) return undefined;
  const text = spec.expansion;
  const { words } = tokenizeLine(text, 0, text.length, 0, { env: defaultEnvironment({}), file: '<predefined>', section: '' });
  const { expr } = parseAclExpression(words);
  if (!expr) return undefined;
  // Every expansion compiles (test/sim/acl.test.ts covers the whole catalogue list); a problem
  // here would be a simulator bug, so it throws instead of being hidden.
  const compiled = compileAclExpr(expr, {});
  cache.set(name, compiled);
  return compiled;
}
