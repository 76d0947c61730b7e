// The pipeline's view of the Runtime (engineer S3's runtime/**): state shared by the requests
// of one simulation or one proxy process. The only thing the pipeline adds is `proc.*`
// variables, which live beside the Runtime (one map per Runtime) until the Runtime holds them.
import type { Model } from '@haplo/parser';
import { createRuntime, type Runtime, type RuntimeOptions } from '../runtime/runtime.js';
import type { Sample } from '../sample/sample.js';

export type SimRuntime = Runtime;

const procVars = new WeakMap<Runtime, Map<string, Sample>>();

/** `proc.*` variables of a Runtime, shared by every stream that runs on it. */
export function procVarsOf(rt: Runtime): Map<string, Sample> {
  let m = procVars.get(rt);
  if (!m) procVars.set(rt, (m = new Map()));
  return m;
}

/** A fresh Runtime for a model (server states, balance positions, stick tables). */
export function createSimRuntime(model: Model, o: RuntimeOptions = {}): Runtime {
  return createRuntime(model, o);
}
