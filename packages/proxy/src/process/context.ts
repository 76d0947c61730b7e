// The ProxyContext of one loaded configuration: its compiled pipeline, a live Runtime on the
// real clock, the upstream layer, and settings read once per proxy. A reload builds a new one;
// connections keep the context they started with.
import type { CompiledProxy } from '@haplo/sim';
import { globalSettings } from '../config/global-settings.js';
import type { LoadedConfig } from '../config/load-config.js';
import { proxySettings } from '../config/proxy-settings.js';
import { createProcessLogging } from '../log/index.js';
import type { ProxyContext, ProxySettings, Upstreams } from './types.js';

/** Builds the upstream layer once the rest of the context exists (it reads settings and the Runtime). */
export type UpstreamsFactory = (ctx: Omit<ProxyContext, 'upstreams'>) => Upstreams;

/**
 * The context of one configuration. Its logging (one logger per frontend, the UDP sockets they
 * share) is built here too; a log line or format HAProxy would refuse makes this throw, so the
 * configuration is refused (at start, or by a reload) rather than served without its logs.
 */
export function createContext(config: LoadedConfig, upstreams: UpstreamsFactory): ProxyContext {
  const now = Date.now;
  const logging = createProcessLogging(config.model, { now });
  if (logging.problems.length > 0) {
    logging.close();
    throw new Error(`logging: ${logging.problems.join('; ')}`);
  }
  const runtime = config.pipeline.createRuntime({ now, random: Math.random });
  const settingsCache = new Map<CompiledProxy, ProxySettings>();
  const base: Omit<ProxyContext, 'upstreams'> = {
    pipeline: config.pipeline,
    runtime,
    global: globalSettings(config.model),
    tls: config.tls,
    settings(proxy) {
      let s = settingsCache.get(proxy);
      if (!s) settingsCache.set(proxy, (s = proxySettings(proxy.model)));
      return s;
    },
    now,
    logging,
  };
  return { ...base, upstreams: upstreams(base) };
}
