// Drives one request through the compiled phases in HAProxy's order (reference §5.1):
// frontend tcp-request connection → session → content → http-request → redirect →
// use_backend; backend tcp-request content → http-request → redirect; server selection →
// forward; then the response: tcp-response content → stick store-response → backend
// http-response → frontend http-response → http-after-response (on every response, HAProxy's
// own included). A final action in the frontend skips the backend entirely.
import type { ActionRun, Outcome } from '../actions/types.js';
import { errorReply } from '../responses/errorfiles.js';
import type { Reply } from '../responses/reply.js';
import { reasonPhrase } from '../responses/status.js';
import { sampleToString } from '../sample/sample.js';
import { createContext, VAR_SCOPES, type StreamContext } from '../stream/context.js';
import { headerList } from '../stream/headers.js';
import { createRecorder, NO_TRACE, type MessageSnapshot, type TraceRecorder } from '../trace/events.js';
import { jsonPhases } from '../trace/json.js';
import type { CompiledProxy, Pipeline } from './compile.js';
import { normalizeRequest, pickFrontend, SimInputError, splitHostPort } from './request.js';
import { statementText, type PhaseVerdict, type RulePhase } from './rules.js';
import '../runtime/link.js';
import type { Selection, SelectionEvent } from '../selection/compile.js';
import { procVarsOf, type SimRuntime } from './runtime-port.js';
import type { RunOptions, SimRequest, SimResult, SimulatedReply } from './types.js';

type Final = { outcome: Outcome; reply?: Reply };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// HAProxy's own bodies (error pages, fixed `return` strings) repeat on every request: encode each
// once. Bodies are never edited in place, so sharing the bytes is safe; the cache is bounded.
const encoded = new Map<string, Uint8Array>();
const decoded = new WeakMap<Uint8Array, string>();
const EMPTY_BYTES = new Uint8Array(0);
decoded.set(EMPTY_BYTES, '');

function bodyBytes(text: string): Uint8Array {
  if (text === '') return EMPTY_BYTES;
  let b = encoded.get(text);
  if (!b) {
    b = encoder.encode(text);
    if (encoded.size < 256) encoded.set(text, b);
    decoded.set(b, text);
  }
  return b;
}

function bodyText(b: Uint8Array): string {
  return decoded.get(b) ?? decoder.decode(b);
}

function runPhases(phases: readonly RulePhase[], run: ActionRun, trace: TraceRecorder): Final | undefined {
  for (const ph of phases) {
    const v: PhaseVerdict = ph.run(run, trace);
    if (v.kind === 'final') return { outcome: v.outcome, reply: v.reply };
    if (v.kind === 'wait') return { outcome: 'error', reply: run.errorReply(408) };
  }
  return undefined;
}

function requestSnapshot(ctx: StreamContext): MessageSnapshot {
  const r = ctx.request!;
  return { method: r.method, uri: r.uri, headers: r.headers.entries.map((e) => [e.name.toLowerCase(), e.value]) };
}

function responseSnapshot(ctx: StreamContext): MessageSnapshot {
  const r = ctx.response!;
  return { status: r.status, reason: r.reason, headers: r.headers.entries.map((e) => [e.name.toLowerCase(), e.value]), body: bodyText(r.body) };
}

function setResponse(ctx: StreamContext, reply: Reply): void {
  ctx.response = { status: reply.status, reason: reply.reason, version: '1.1', headers: headerList(reply.headers), body: bodyBytes(reply.body) };
}

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

function runUnguarded(p: Pipeline, request: SimRequest, rt: SimRuntime, simulated: SimulatedReply, options?: RunOptions): SimResult {
  const trace = options?.trace === false ? NO_TRACE : createRecorder();
  const traced = trace.enabled;
  const { fe, dst, dstPort } = pickFrontend(p.frontends, request);
  const req = normalizeRequest(request);
  const src = splitHostPort(request.src ?? '127.0.0.1');
  const http = fe.mode === 'http';
  const ctx = createContext({
    mode: http ? 'http' : 'tcp',
    src: src.host,
    srcPort: src.port ?? 40000,
    dst,
    dstPort,
    tls: req.tls ? { sni: request.sni, protocol: 'TLSv1.3', alpn: 'http/1.1' } : undefined,
    request: { method: req.method, uri: req.uri, version: req.version, headers: req.headers, body: req.body },
    frontend: fe.name,
    vars: { proc: procVarsOf(rt) },
    now: rt.now,
    random: rt.random,
    env: p.envVars,
    serverCounts: (name) => rt.usableServers(name),
  });
  ctx.runtime = rt;
  let be: CompiledProxy | undefined;
  const run: ActionRun = {
    ctx, rt, notes: new Map(),
    errorReply: (code) => errorReply(code, [be?.errors, fe.errors]),
  };

  // ---- request, frontend side
  let final = runPhases([fe.tcpConnection, fe.tcpSession, fe.tcpContent], run, trace);
  if (!final && http) {
    rt.countRequest(ctx);
    final = runPhases([fe.httpRequest, fe.redirect], run, trace);
  }

  if (!final) {
    const choice = fe.switching!.choose(run, trace, (name) => p.backends.has(name));
    if (traced) trace.push({ type: 'backend', frontend: fe.name, backend: choice.backend ?? null, how: choice.how, line: choice.line });
    if (choice.backend === undefined) final = { outcome: 'error', reply: run.errorReply(503) };
    else {
      be = p.backends.get(choice.backend)!;
      ctx.backend = be.name;
    }
  }

  // ---- request, backend side (a listen section does not run its rules twice)
  if (!final && be && be !== fe) {
    final = runPhases(http ? [be.tcpContent, be.httpRequest, be.redirect] : [be.tcpContent], run, trace);
  }

  let selection: Selection | undefined;
  const selectionTrace = (proxy: string) => (e: SelectionEvent): void => {
    if (e.line === undefined || e.step === 'balance' || e.step === 'stick-store' || e.step === 'cookie') {
      trace.push({ type: 'note', text: `${e.step}: ${e.text} → ${e.result}` });
      return;
    }
    const st = be!.model.statements.find((x) => x.line.line + 1 === e.line);
    trace.push({
      type: 'rule', phase: 'server selection', proxy, file: be!.model.section.file, line: e.line, text: st ? statementText(st) : e.text,
      condition: e.condition ?? null, acls: e.acls ?? [], action: e.step, final: false, change: e.result,
    });
  };
  let forwarded: MessageSnapshot | undefined;
  if (!final && be) {
    ctx.phase = 'be-server-selection';
    const selTrace = traced ? selectionTrace(be.name) : undefined;
    if (traced) trace.push({ type: 'phase', phase: 'server selection', proxy: be.name });
    selection = be.selection!(ctx, rt, selTrace);
    if (traced) trace.push({ type: 'server', backend: be.name, server: selection.server ?? null, reason: selection.reason, detail: selection.detail });
    if (!selection.server) final = { outcome: 'error', reply: run.errorReply(503) };
    else {
      ctx.server = selection.server;
      rt.beginConnection(ctx, be.name, selection.server);
      be.selection!.storeStickRequest(ctx, rt, selection.server, selTrace);
      if (traced) trace.push({ type: 'phase', phase: 'forward', proxy: be.name });
      const changes = http ? p.forwardHeaders(fe, be).apply(ctx) : [];
      forwarded = requestSnapshot(ctx);
      if (traced) trace.push({ type: 'forward', request: forwarded, changes });
    }
  }

  // ---- response
  let responded = false;
  if (!final && be) {
    // Connecting to the server prunes the request-scope variables; `res` starts empty (stream.c).
    ctx.vars.req.clear();
    setResponse(ctx, {
      status: simulated.status ?? 200,
      reason: simulated.reason ?? reasonPhrase(simulated.status ?? 200),
      headers: (simulated.headers ?? []).map(([n, v]) => [n, v]),
      body: simulated.body ?? '',
    });
    if (traced) trace.push({ type: 'response', source: 'server', response: responseSnapshot(ctx) });
    final = runPhases([be.tcpResponse], run, trace);
    if (!final) {
      if (traced) trace.push({ type: 'phase', phase: 'stick store-response', proxy: be.name });
      be.selection!.storeStickResponse(ctx, rt, selection?.server, traced ? selectionTrace(be.name) : undefined);
      if (http) final = runPhases(be === fe ? [be.httpResponse] : [be.httpResponse, fe.httpResponse], run, trace);
    }
    // Cookie persistence edits the response after both proxies' http-response rules, unless one
    // of them answered instead (http_process_res_common).
    if (!final && selection && ctx.response && ctx.response.status >= 200) {
      const cookie = be.selection!.applyCookieResponse(ctx, rt, selection);
      if (traced && cookie && (cookie.inserted || cookie.deleted || cookie.rewritten || cookie.cacheControlAdded)) {
        const parts = [cookie.inserted && `inserted set-cookie: ${cookie.inserted}`, cookie.deleted && `removed ${cookie.deleted} set-cookie`, cookie.rewritten && `rewrote ${cookie.rewritten} set-cookie`, cookie.cacheControlAdded && 'added cache-control: private'];
        trace.push({ type: 'note', text: `cookie persistence: ${parts.filter(Boolean).join(', ')}` });
      }
    }
    responded = !final;
  }

  if (final) {
    if (final.outcome !== 'reject' && final.reply) {
      setResponse(ctx, final.reply);
      if (traced) trace.push({ type: 'response', source: 'haproxy', response: responseSnapshot(ctx) });
      responded = true;
    } else {
      ctx.response = undefined;
    }
  }

  if (responded && http) {
    const after = be && be !== fe ? [be.afterResponse, fe.afterResponse] : [fe.afterResponse];
    for (const ph of after) {
      const v = ph.run(run, trace);
      if (v.kind !== 'continue') break;
    }
  }

  const outcome: Outcome = final?.outcome ?? 'forward';
  const status = ctx.response ? ctx.response.status : null;
  if (status !== null && status >= 400 && status < 500) rt.countError(ctx);
  else if (status !== null && status >= 500 && status !== 501 && status !== 505 && outcome === 'forward') rt.countFailure(ctx);
  rt.endStream(ctx);
  if (traced) trace.push({ type: 'end', outcome, status });
  const vars: Record<string, string> = {};
  for (const scope of VAR_SCOPES) for (const [k, v] of ctx.vars[scope]) vars[`${scope}.${k}`] = sampleToString(v);
  const resp = ctx.response ? responseSnapshot(ctx) : undefined;
  return {
    frontend: fe.name,
    backend: be?.name ?? null,
    server: selection?.server ?? null,
    outcome,
    status,
    request: forwarded ? { method: forwarded.method!, uri: forwarded.uri!, headers: forwarded.headers } : null,
    response: resp ? { status: resp.status!, headers: resp.headers } : null,
    phases: traced ? jsonPhases(trace.events) : [],
    selection: selection ? { reason: selection.reason, detail: selection.detail } : null,
    vars,
    trace: trace.events,
    body: resp ? resp.body ?? '' : null,
  };
}
