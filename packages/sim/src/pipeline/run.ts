// Drives one described request through the compiled phases in HAProxy's order (reference §5.1),
// with a PipelineSession — the same stepper the proxy drives with live sockets:
// frontend tcp-request connection → session → content → http-request → redirect → use_backend;
// backend tcp-request content → http-request → redirect; server selection → forward; then the
// response: tcp-response content → stick store-response → backend http-response → frontend
// http-response → http-after-response (on every response, HAProxy's own included). A final
// action in the frontend skips the backend entirely.
import type { Outcome } from '../actions/types.js';
import type { Reply } from '../responses/reply.js';
import { reasonPhrase } from '../responses/status.js';
import { sampleToString } from '../sample/sample.js';
import { VAR_SCOPES } from '../stream/context.js';
import { jsonPhases } from '../trace/json.js';
import { requestFraming, responseFraming, writtenRequest, writtenResponse } from './as-written.js';
import type { Pipeline } from './compile.js';
import type { BodyFraming } from './content-length-line.js';
import { normalizeRequest, pickFrontend, SimInputError, splitHostPort } from './request.js';
import type { SimRuntime } from './runtime-port.js';
import { PipelineSession, snapshotRequest, snapshotResponse } from './stream.js';
import type { RunOptions, SimRequest, SimResult, SimulatedReply } from './types.js';

const encoder = new TextEncoder();

/**
 * The last line of defence of "never throws on user text": an unexpected exception inside the
 * engine becomes an `error` outcome with a trace note instead of escaping to the caller. A
 * request that cannot be described (SimInputError: unknown frontend…) is still thrown.
 */
export function runPipeline(p: Pipeline, request: SimRequest, rt: SimRuntime, simulated: SimulatedReply = {}, options?: RunOptions): SimResult {
  try {
    return runUnguarded(p, request, rt, simulated, options);
  } catch (e) {
    if (e instanceof SimInputError) throw e;
    const fe = pickFrontend(p.frontends, request).fe;
    const text = `internal error in the simulator: ${e instanceof Error ? e.message : String(e)}`;
    const trace: SimResult['trace'] = [{ type: 'note', text }, { type: 'end', outcome: 'error', status: null }];
    return {
      frontend: fe.name, backend: null, server: null, outcome: 'error', status: null, request: null, response: null,
      phases: [], selection: null, vars: {}, trace: options?.trace === false ? [] : trace, body: null,
    };
  }
}

/**
 * The simulator has no counters to show: a `service` step answers with a stand-in body that says
 * which applet the proxy would run (headers as HAProxy sends them).
 */
function servicePlaceholder(name: 'stats' | 'prometheus-exporter'): Reply {
  const stats = name === 'stats';
  return {
    status: 200, reason: 'OK',
    headers: [['cache-control', 'no-cache'], ['content-type', stats ? 'text/html' : 'text/plain; version=0.0.4']],
    body: stats ? '(the stats page: counters of the running proxy, served by `haplo run`)\n' : '(Prometheus metrics of the running proxy, served by `haplo run`)\n',
  };
}

function runUnguarded(p: Pipeline, request: SimRequest, rt: SimRuntime, simulated: SimulatedReply, options?: RunOptions): SimResult {
  const { fe, dst, dstPort } = pickFrontend(p.frontends, request);
  const req = normalizeRequest(request);
  const src = splitHostPort(request.src ?? '127.0.0.1');
  const session = new PipelineSession(p, rt, {
    frontend: fe,
    src: src.host,
    srcPort: src.port ?? 40000,
    dst,
    dstPort,
    tls: req.tls ? { sni: request.sni, protocol: 'TLSv1.3', alpn: 'http/1.1' } : undefined,
    trace: options?.trace !== false,
  });
  const http = fe.mode === 'http';
  let forwarded: SimResult['request'] = null;
  // The server's response, or HAProxy's own answer; the framing is the simulated reply's.
  let fromServer = false;
  let returnedFraming: BodyFraming = { kind: 'none' };
  const accepted = session.accept();
  if (accepted.kind === 'continue') {
    const body = req.body === '' ? undefined : encoder.encode(req.body);
    const framing = requestFraming(req.headers, body?.length ?? 0);
    session.begin({ method: req.method, uri: req.uri, version: req.version, headers: req.headers, body, framing });
    let step = session.request();
    // A described request is all there is: a rule still waiting for data times out.
    if (step.kind === 'wait') session.errorReply(408);
    else if (step.kind === 'service') session.serviceReply(servicePlaceholder(step.name));
    else if (step.kind === 'forward') {
      const ctx = session.ctx;
      forwarded = http ? writtenRequest(ctx, fe, session.backend!, framing) : { ...snapshotRequest(ctx), version: req.version };
      const status = simulated.status ?? 200;
      const headers = simulated.headers ?? [];
      const replyBody = simulated.body ? encoder.encode(simulated.body) : undefined;
      returnedFraming = responseFraming(headers, replyBody?.length ?? 0, status, ctx.request?.method ?? req.method);
      fromServer = session.response({ status, reason: simulated.reason ?? reasonPhrase(status), headers, body: replyBody, framing: returnedFraming }).kind === 'forward';
    }
  }
  const { outcome, status } = session.end();
  const ctx = session.ctx;
  const traced = session.trace.enabled;
  const vars: Record<string, string> = {};
  for (const scope of VAR_SCOPES) for (const [k, v] of ctx.vars[scope]) vars[`${scope}.${k}`] = sampleToString(v);
  const resp = ctx.response ? snapshotResponse(ctx) : undefined;
  const returned = ctx.response && http ? writtenResponse(ctx, fe, fromServer, session.clientTokens, returnedFraming) : undefined;
  const selection = session.lastSelection;
  return {
    frontend: fe.name,
    backend: session.backend?.name ?? null,
    server: selection?.server ?? null,
    outcome: outcome as Outcome,
    status,
    request: forwarded,
    response: resp ? { status: resp.status, headers: returned ? returned.headers : resp.headers } : null,
    phases: traced ? jsonPhases(session.trace.events) : [],
    selection: selection ? { reason: selection.reason, detail: selection.detail } : null,
    vars,
    trace: session.trace.events,
    body: resp ? resp.body : null,
  };
}
