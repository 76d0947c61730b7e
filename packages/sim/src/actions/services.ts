// `http-request use-service <name>`: the stream is handed to one of HAProxy's applets instead of
// a server. The pipeline only decides that the service answers; the caller (the proxy) renders
// it. haplo knows `prometheus-exporter`; Lua services are not simulated.
import type { ActionCompiler } from './types.js';

/** The applets a `service` step can name. */
export type ServiceName = 'stats' | 'prometheus-exporter';

const KNOWN: ReadonlySet<string> = new Set<ServiceName>(['prometheus-exporter']);

const useService: ActionCompiler = (cx) => {
  const name = cx.args[0]?.value ?? '';
  if (!KNOWN.has(name)) {
    return () => ({ kind: 'continue', change: `service '${name}' is not simulated (only prometheus-exporter)` });
  }
  if (cx.ruleSet !== 'http-request') {
    return () => ({ kind: 'continue', change: `service '${name}' is only simulated from http-request rules` });
  }
  const service = name as ServiceName;
  return () => ({ kind: 'final', outcome: 'service', service, change: `the ${service} service answers` });
};

export const serviceActions: Record<string, ActionCompiler> = { 'use-service': useService };
