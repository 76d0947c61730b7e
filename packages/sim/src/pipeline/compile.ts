// compilePipeline: every proxy's rules compiled ONCE into named phase objects, in HAProxy's
// order (reference §5.1). `run` then drives one described request through them; the proxy
// package drives the same phases with live sockets.
import type { Model, ProxyModel, RuleSet } from '@haplo/parser';
import { userlistIndex } from '../auth/userlists.js';
import type { CompileEnv, CompileProblem } from '../compile-env.js';
import { compileErrorCatalog, type ErrorCatalog } from '../responses/errorfiles.js';
import type { Phase } from '../stream/context.js';
import type { PhaseName } from '../trace/events.js';
import { httpConnectionMode, type HttpConnectionMode } from './connection-mode.js';
import { pipelineContext, type PipelineContext } from './context.js';
import { compileForwardHeaders, type ForwardHeaders } from './forward.js';
import { compileBackendSwitch, redirectPhase, type BackendSwitch } from './routing.js';
import { rulePhase, rulesOf, type RulePhase } from './rules.js';
import type { RuntimeOptions } from '../runtime/runtime.js';
import { compileSelection, type CompiledSelection } from '../selection/compile.js';
import { createSimRuntime, type SimRuntime } from './runtime-port.js';
import { statsSettingsOf, type StatsSettings } from '../services/stats-settings.js';
import { runPipeline } from './run.js';
import type { RunOptions, SimRequest, SimResult, SimulatedReply } from './types.js';

/** One proxy's compiled phases (a listen section has both sides). */
export interface CompiledProxy {
  model: ProxyModel;
  name: string;
  mode: ProxyModel['mode'];
  tcpConnection: RulePhase;
  tcpSession: RulePhase;
  tcpContent: RulePhase;
  httpRequest: RulePhase;
  redirect: RulePhase;
  tcpResponse: RulePhase;
  httpResponse: RulePhase;
  afterResponse: RulePhase;
  /** Frontend side: use_backend / default_backend. */
  switching?: BackendSwitch;
  /** Backend side: server selection (S3's compileSelection). */
  selection?: CompiledSelection;
  errors: ErrorCatalog;
  /** `option httpclose` / `http-server-close` / `http-keep-alive` as this proxy ends up with it. */
  connectionMode: HttpConnectionMode;
  /** `stats enable|uri|auth…` (mode http): the stats page this proxy serves. */
  stats?: StatsSettings;
}

export interface PipelineOptions {
  /** Environment variables the `env()` fetch sees. */
  env?: Record<string, string>;
  /** Reads map, pattern and error files at compile time. */
  readFile?: (path: string) => string | undefined;
}

export interface Pipeline {
  model: Model;
  /** Every proxy, in file order. */
  proxies: readonly CompiledProxy[];
  frontends: readonly CompiledProxy[];
  /** Proxies with backend capability, by name (what use_backend resolves against). */
  backends: ReadonlyMap<string, CompiledProxy>;
  /** Problems met while compiling (unknown fetches, unreadable files…); never thrown. */
  problems: CompileProblem[];
  /** Forwarded-header options for a frontend/backend pair, compiled on first use. */
  forwardHeaders(fe: CompiledProxy, be: CompiledProxy): ForwardHeaders;
  envVars: Record<string, string>;
  /** A fresh Runtime for this configuration (server states, balance positions, stick tables). */
  createRuntime(o?: RuntimeOptions): SimRuntime;
  /** Runs one request through the phases; `reply` is what the server answers. */
  run(request: SimRequest, runtime: SimRuntime, reply?: SimulatedReply, options?: RunOptions): SimResult;
}

/** The lifecycle this pipeline executes, in order: the product the simulator prints. */
export const LIFECYCLE: readonly { phase: PhaseName; side: string; stopsWhen: string }[] = [
  { phase: 'tcp-request connection', side: 'frontend', stopsWhen: 'accept ends the set; reject closes with no response' },
  { phase: 'tcp-request session', side: 'frontend', stopsWhen: 'accept ends the set; reject closes' },
  { phase: 'tcp-request content', side: 'frontend, then backend', stopsWhen: 'accept ends the set; reject closes; MISS waits for data' },
  { phase: 'http-request', side: 'frontend (named-defaults rules first), then backend', stopsWhen: 'allow ends the set; deny/tarpit/auth/return/redirect/reject end the stream' },
  { phase: 'redirect', side: 'frontend, then backend', stopsWhen: 'the first matching redirect answers' },
  { phase: 'use_backend', side: 'frontend', stopsWhen: 'first match wins; else default_backend; no backend → 503' },
  { phase: 'server selection', side: 'backend', stopsWhen: 'use-server, cookie, stick match, balance, backup; none usable → 503' },
  { phase: 'forward', side: 'backend', stopsWhen: 'always runs: option forwardfor/originalto, cookie handling' },
  { phase: 'tcp-response content', side: 'backend', stopsWhen: 'accept ends the set; reject/close closes' },
  { phase: 'stick store-response', side: 'backend', stopsWhen: 'always runs' },
  { phase: 'http-response', side: 'backend, then frontend; then cookie persistence edits the response', stopsWhen: 'allow ends the set; deny (502)/return/redirect answer' },
  { phase: 'http-after-response', side: 'backend, then frontend; on every response, HAProxy\'s own included', stopsWhen: 'allow ends the set' },
];

function compileProxy(p: ProxyModel, cx: PipelineContext): CompiledProxy {
  const fe = p.capabilities.frontend;
  const phase = (name: PhaseName, set: RuleSet, fetchPhase: Phase): RulePhase => rulePhase(name, p.name, fetchPhase, rulesOf(p, set, cx));
  const compiled: CompiledProxy = {
    model: p,
    name: p.name,
    mode: p.mode,
    tcpConnection: phase('tcp-request connection', 'tcp-request connection', 'fe-tcp-connection'),
    tcpSession: phase('tcp-request session', 'tcp-request session', 'fe-tcp-session'),
    tcpContent: phase('tcp-request content', 'tcp-request content', fe ? 'fe-tcp-content' : 'be-tcp-content'),
    httpRequest: phase('http-request', 'http-request', fe ? 'fe-http-request' : 'be-http-request'),
    redirect: redirectPhase(p, cx, fe ? 'fe' : 'be'),
    tcpResponse: phase('tcp-response content', 'tcp-response content', 'be-tcp-response'),
    httpResponse: phase('http-response', 'http-response', fe && !p.capabilities.backend ? 'fe-http-response' : 'be-http-response'),
    afterResponse: phase('http-after-response', 'http-after-response', 'fe-http-response'),
    errors: compileErrorCatalog(p, cx.model, cx.env, cx.httpErrors),
    connectionMode: httpConnectionMode(p),
  };
  if (fe) compiled.switching = compileBackendSwitch(p, cx);
  if (p.capabilities.backend) compiled.selection = compileSelection(p, cx.env);
  const stats = statsSettingsOf(p);
  if (stats) compiled.stats = stats;
  return compiled;
}

/** Compiles every frontend, backend and listen of `model` once. */
export function compilePipeline(model: Model, o: PipelineOptions = {}): Pipeline {
  const problems: CompileProblem[] = [];
  const env: CompileEnv = { readFile: o.readFile, report: (p) => void problems.push(p), userlist: userlistIndex(model) };
  const cx = pipelineContext(model, env);
  const proxies = model.proxies.map((p) => compileProxy(p, cx));
  const frontends = proxies.filter((p) => p.model.capabilities.frontend);
  const backends = new Map<string, CompiledProxy>();
  for (const p of proxies) if (p.model.capabilities.backend && !backends.has(p.name)) backends.set(p.name, p);
  const fwd = new Map<CompiledProxy, Map<CompiledProxy, ForwardHeaders>>();
  const pipeline: Pipeline = {
    model,
    proxies,
    frontends,
    backends,
    problems,
    envVars: o.env ?? {},
    forwardHeaders(fe, be) {
      // Looked up on every forwarded request: by the proxy objects, no key string to build.
      let byBackend = fwd.get(fe);
      if (!byBackend) fwd.set(fe, (byBackend = new Map()));
      let f = byBackend.get(be);
      if (!f) byBackend.set(be, (f = compileForwardHeaders(fe.model, be.model)));
      return f;
    },
    createRuntime: (ro) => createSimRuntime(model, ro),
    run: (request, runtime, reply, options) => runPipeline(pipeline, request, runtime, reply, options),
  };
  return pipeline;
}
