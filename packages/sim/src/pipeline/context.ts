// What compiling a pipeline shares across proxies: the model, the compile environment,
// ACL tables (one per proxy, built once) and the http-errors sections.
import type { Model, ProxyModel } from '@haplo/parser';
import { createAclTable, type AclTable } from '../acl/named.js';
import type { CompileEnv } from '../compile-env.js';
import { httpErrorsIndex, type HttpErrorsIndex } from '../responses/errorfiles.js';

export interface PipelineContext {
  model: Model;
  env: CompileEnv;
  httpErrors: HttpErrorsIndex;
  aclTable(proxy: ProxyModel): AclTable;
}

export function pipelineContext(model: Model, env: CompileEnv): PipelineContext {
  const tables = new Map<ProxyModel, AclTable>();
  return {
    model,
    env,
    httpErrors: httpErrorsIndex(model),
    aclTable(proxy) {
      let t = tables.get(proxy);
      if (!t) tables.set(proxy, (t = createAclTable(proxy, env)));
      return t;
    },
  };
}
