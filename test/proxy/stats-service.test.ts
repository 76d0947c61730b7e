// The stats page and the Prometheus exporter as the pipeline decides them (a `service` step
// after the proxy's http-request rules, 401 under `stats auth`) and as serve.ts renders them.
import { checkSources } from '@haplo/parser';
import { compilePipeline, PipelineSession, type RequestStep } from '@haplo/sim';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../packages/proxy/src/process/context.js';
import { CSV_HEADER } from '../../packages/proxy/src/stats/columns.js';
import { serveService } from '../../packages/proxy/src/stats/serve.js';
import type { Upstreams } from '../../packages/proxy/src/process/types.js';

const CONFIG = `defaults
    mode http
frontend fe
    bind 127.0.0.1:17730
    http-request use-service prometheus-exporter if { path /metrics }
    default_backend be1
backend be1
    stats enable
    stats uri /stats
    stats realm Haplo\\ Stats
    stats auth admin:secret
    http-request return status 200 content-type text/plain string hi if { path /stats/x }
    server s1 127.0.0.1:17731
`;

function setup() {
  const model = checkSources([{ path: 'h.cfg', text: CONFIG }]).model;
  const pipeline = compilePipeline(model);
  const ctx = createContext({ model, pipeline, diagnostics: [], problems: [] } as never, () => ({}) as Upstreams);
  const step = (uri: string, headers: [string, string][] = []): { ps: PipelineSession; step: RequestStep } => {
    const ps = new PipelineSession(pipeline, ctx.runtime, { frontend: pipeline.frontends[0]!, src: '127.0.0.1', srcPort: 4000, dst: '127.0.0.1', dstPort: 17730, trace: false });
    ps.accept();
    ps.begin({ method: 'GET', uri, version: '1.1', headers });
    return { ps, step: ps.request() };
  };
  return { ctx, step };
}

const AUTH: [string, string] = ['authorization', `Basic ${Buffer.from('admin:secret').toString('base64')}`];

describe('stats uri and use-service in the pipeline', () => {
  it('answers 401 with the realm without credentials, as HAProxy 2.6 does', () => {
    const { step } = setup();
    const s = step('/stats').step;
    expect(s.kind).toBe('reply');
    if (s.kind !== 'reply') return;
    expect(s.reply.status).toBe(401);
    expect(s.reply.headers).toEqual([['content-length', '112'], ['cache-control', 'no-cache'], ['content-type', 'text/html'], ['www-authenticate', 'Basic realm="Haplo Stats"']]);
  });

  it('the backend http-request rules run before the stats URI check; the URI is a prefix', () => {
    const { step } = setup();
    expect(step('/stats/x', [AUTH]).step.kind).toBe('reply');
    const s = step('/statsfoo;csv', [AUTH]).step;
    expect(s.kind === 'service' && s.name).toBe('stats');
    expect(step('/x/stats', [AUTH]).step.kind).toBe('forward');
  });

  it('renders the CSV with HAProxy header and the prometheus metrics with their names', () => {
    const { ctx, step } = setup();
    const { ps, step: s } = step('/stats;csv;norefresh', [AUTH]);
    if (s.kind !== 'service') throw new Error(s.kind);
    const reply = ps.serviceReply(serveService(ctx, s, ps.ctx));
    expect(reply.headers).toEqual([['cache-control', 'no-cache'], ['content-type', 'text/plain']]);
    expect(reply.body.split('\n')[0]).toBe(CSV_HEADER);
    expect(reply.body.split('\n').slice(1, 4).map((l) => l.split(',').slice(0, 2).join('/'))).toEqual(['fe/FRONTEND', 'be1/s1', 'be1/BACKEND']);
    const m = step('/metrics');
    if (m.step.kind !== 'service') throw new Error(m.step.kind);
    expect(m.step.name).toBe('prometheus-exporter');
    const metrics = serveService(ctx, m.step, m.ps.ctx).body;
    expect(metrics).toContain('# HELP haproxy_frontend_current_sessions Number of current sessions on the frontend, backend or server\n# TYPE haproxy_frontend_current_sessions gauge\nhaproxy_frontend_current_sessions{proxy="fe"} 0\n');
    expect(metrics).toContain('haproxy_backend_active_servers{proxy="be1"} 1\n');
    expect(metrics).toContain('haproxy_server_status{proxy="be1",server="s1",state="UP"} 1\n');
  });

  it('haplo sim says the service answers', () => {
    const model = checkSources([{ path: 'h.cfg', text: CONFIG }]).model;
    const r = compilePipeline(model).run({ uri: '/metrics' }, compilePipeline(model).createRuntime());
    expect(r.outcome).toBe('service');
    expect(r.status).toBe(200);
    expect(r.trace.some((e) => e.type === 'note' && e.text.includes('prometheus-exporter'))).toBe(true);
  });
});
