// Reading a keyword's effective statement in a proxy: its own section first, then the defaults
// it inherits from (HAProxy copies a defaults section's settings into each proxy that follows it,
// and the proxy's own line overrides). The last active line of a section wins, as in HAProxy.
import type { ProxyModel, Statement } from '@haplo/parser';

/** The statement that sets `keyword` for `proxy`, own lines first, then inherited defaults. */
export function effectiveStatement(proxy: ProxyModel, keyword: string): Statement | undefined {
  for (let p: ProxyModel | undefined = proxy; p; p = p.defaults) {
    const own = lastStatement(p.statements, keyword);
    if (own) return own;
  }
  return undefined;
}

/** The last active statement of `keyword` in a list (global section, one proxy). */
export function lastStatement(statements: readonly Statement[], keyword: string): Statement | undefined {
  for (let i = statements.length - 1; i >= 0; i--) {
    const s = statements[i]!;
    if (s.keyword === keyword && s.line.active && !s.modifier) return s;
  }
  return undefined;
}
