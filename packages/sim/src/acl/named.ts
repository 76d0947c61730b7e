// Named ACLs of a proxy: every `acl` line of one name OR-ed together, compiled once on first
// use and shared by every condition of the proxy; predefined names fill in the rest.
import type { AclDecl, ProxyModel } from '@haplo/parser';
import type { CompileEnv } from '../compile-env.js';
import { compileAclExpr, type AclResult, type CompiledAclExpr } from './compile.js';
import { predefinedAcl } from './predefined.js';

export interface NamedAclOutcome {
  result: AclResult;
  values: string[];
  /** 1-based config line of the `acl` line that decided (the first one when none matched). */
  line?: number;
  file?: string;
}

export interface CompiledNamedAcl {
  name: string;
  predefined: boolean;
  evaluate(ctx: Parameters<CompiledAclExpr['evaluate']>[0]): NamedAclOutcome;
  /** The result alone, without values or lines (no trace wanted). */
  test(ctx: Parameters<CompiledAclExpr['evaluate']>[0]): AclResult;
}

/** Resolves ACL names for one proxy's conditions. */
export interface AclTable {
  get(name: string): CompiledNamedAcl | undefined;
}

function fromDecls(name: string, decls: readonly AclDecl[], env: CompileEnv): CompiledNamedAcl {
  const exprs = decls
    .filter((d) => d.expr)
    .map((d) => ({ expr: compileAclExpr(d.expr!, env), line: d.statement.line.line + 1, file: d.proxy.section.file }));
  return {
    name,
    predefined: false,
    evaluate(ctx) {
      const values: string[] = [];
      let result: AclResult = 'fail';
      for (const e of exprs) {
        const m = e.expr.evaluate(ctx);
        values.push(...m.values);
        if (m.result === 'pass') return { result: 'pass', values, line: e.line, file: e.file };
        if (m.result === 'miss') result = 'miss';
      }
      return { result, values, line: exprs[0]?.line, file: exprs[0]?.file };
    },
    test(ctx) {
      let result: AclResult = 'fail';
      for (const e of exprs) {
        const r = e.expr.test(ctx);
        if (r === 'pass') return 'pass';
        if (r === 'miss') result = 'miss';
      }
      return result;
    },
  };
}

/**
 * The ACL table of a proxy (or of a plain map of declarations). A proxy's own declarations win
 * over predefined names, as in HAProxy.
 */
export function createAclTable(source: ProxyModel | ReadonlyMap<string, readonly AclDecl[]>, env: CompileEnv): AclTable {
  const decls: ReadonlyMap<string, readonly AclDecl[]> = 'acls' in source && !(source instanceof Map) ? (source as ProxyModel).acls : (source as ReadonlyMap<string, readonly AclDecl[]>);
  const compiled = new Map<string, CompiledNamedAcl>();
  return {
    get(name) {
      let c = compiled.get(name);
      if (c) return c;
      const own = decls.get(name);
      if (own && own.length) c = fromDecls(name, own, env);
      else {
        const pre = predefinedAcl(name);
        if (!pre) return undefined;
        c = { name, predefined: true, evaluate: (ctx) => ({ ...pre.evaluate(ctx) }), test: (ctx) => pre.test(ctx) };
      }
      compiled.set(name, c);
      return c;
    },
  };
}
