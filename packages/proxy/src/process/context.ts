// The ProxyContext of one loaded configuration: its compiled pipeline, a live Runtime on the
// real clock, the upstream layer, and settings read once per proxy. A reload builds a new one;
// connections keep the context they started with.
import type { CompiledProxy } from '@haplo/sim';
import { globalSettings } from '../config/global-settings.js';
import type { LoadedConfig } from '../config/load-config.js';
import { proxySettings } from '../config/proxy-settings.js';
import type { ProxyContext, ProxySettings, Upstreams } from './types.js';

/** Builds the upstream layer once the rest of the context exists (it reads settings and the Runtime). */
export type UpstreamsFactory = (ctx: Omit<ProxyContext, 'upstreams'>) => Upstreams;

export function createContext(config: LoadedConfig, upstreams: UpstreamsFactory): ProxyContext {
  const now = Date.now;
  const runtime = config.pipeline.createRuntime({ now, random: Math.random });
  const settingsCache = new Map<CompiledProxy, ProxySettings>();
  const base: Omit<ProxyContext, 'upstreams'> = {
    pipeline: config.pipeline,
    runtime,
    global: globalSettings(config.model),
    settings(proxy) {
      let s = settingsCache.get(proxy);
      if (!s) settingsCache.set(proxy, (s = proxySettings(proxy.model)));
      return s;
    },
    now,
  };
  return { ...base, upstreams: upstreams(base) };
}
