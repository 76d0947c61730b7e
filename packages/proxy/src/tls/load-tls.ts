// Every TLS setting of a configuration, loaded once before any socket opens: each `bind … ssl`
// and each `server … ssl`. The process prints `diagnostics` (renderDiagnostic) and refuses to
// start when one is an error; later lookups are by the parser's model objects.
import { catalogue, type BindModel, type Diagnostic, type Model, type ServerModel } from '@haplo/parser';
import { loadBindTls, type BindTls } from './bind-tls.js';
import { loadServerTls, type ServerTls } from './server-tls.js';
import { tlsGlobals } from './tls-globals.js';

export interface LoadedTls {
  binds: Map<BindModel, BindTls>;
  servers: Map<ServerModel, ServerTls>;
  diagnostics: Diagnostic[];
  /** True when a diagnostic is an error: do not start. */
  failed: boolean;
}

export function loadTls(model: Model, options: { cwd: string }): LoadedTls {
  const globals = tlsGlobals(model, isFlag(catalogue.getBindOption, BIND_FLAGS), isFlag(catalogue.getServerOption, SERVER_FLAGS));
  const out: LoadedTls = { binds: new Map(), servers: new Map(), diagnostics: [], failed: false };
  for (const p of model.proxies) {
    const file = p.section.file;
    if (p.capabilities.frontend) {
      for (const bind of p.binds) {
        if (!bind.statement.line.active) continue;
        const r = loadBindTls(bind, { file, cwd: options.cwd, globals, mode: p.mode === 'http' ? 'http' : 'tcp' });
        out.diagnostics.push(...r.diagnostics);
        if (r.tls) out.binds.set(bind, r.tls);
      }
    }
    if (p.capabilities.backend) {
      for (const server of p.servers) {
        if (!server.statement.line.active) continue;
        const r = loadServerTls(server, { file, cwd: options.cwd, globals });
        out.diagnostics.push(...r.diagnostics);
        if (r.tls) out.servers.set(server, r.tls);
      }
    }
  }
  out.failed = out.diagnostics.some((d) => d.severity === 'error');
  return out;
}

/** Flags among `ssl-default-*-options` words, for names the catalogue may not know. */
const BIND_FLAGS = new Set(['ssl', 'strict-sni', 'prefer-client-ciphers', 'allow-0rtt', 'generate-certificates', 'ssl-skip-self-issued-ca']);
const SERVER_FLAGS = new Set(['ssl', 'allow-0rtt', 'tls-tickets', 'ssl-reuse', 'send-proxy-v2-ssl', 'send-proxy-v2-ssl-cn']);

function isFlag(lookup: (name: string) => { value: number | string } | undefined, known: ReadonlySet<string>): (name: string) => boolean {
  return (name) => {
    const spec = lookup(name);
    if (spec) return spec.value === 0;
    return known.has(name) || name.startsWith('no-') || name.startsWith('force-');
  };
}
