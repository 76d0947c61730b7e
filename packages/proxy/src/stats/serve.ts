// Rendering the answer of a `service` step (the HTTP session calls this, then hands the reply to
// PipelineSession.serviceReply): the stats page as HTML, or as CSV when the URI carries `;csv`
// (`;norefresh` drops the refresh), or the Prometheus metrics.
import type { Reply, RequestStep, StreamContext } from '@haplo/sim';
import type { ProxyContext } from '../process/types.js';
import { renderCsv } from './csv.js';
import { renderHtml } from './html.js';
import { renderPrometheus } from './prometheus.js';
import { statRows } from './rows.js';
import { statsSource } from './sources.js';

type ServiceStep = Extract<RequestStep, { kind: 'service' }>;

export function serveService(ctx: ProxyContext, step: ServiceStep, stream: StreamContext): Reply {
  const rows = statRows(statsSource(ctx));
  if (step.name === 'prometheus-exporter') {
    return { status: 200, reason: 'OK', headers: [['cache-control', 'no-cache'], ['content-type', 'text/plain; version=0.0.4']], body: renderPrometheus(rows) };
  }
  const uri = stream.request?.uri ?? '';
  const options = uri.slice((step.proxy.stats?.uri ?? '').length).split(';');
  if (options.includes('csv')) {
    return { status: 200, reason: 'OK', headers: [['cache-control', 'no-cache'], ['content-type', 'text/plain']], body: renderCsv(rows) };
  }
  const refresh = !options.includes('norefresh');
  const headers: [string, string][] = [['cache-control', 'no-cache'], ['content-type', 'text/html']];
  if (refresh && step.proxy.stats?.refreshSeconds) headers.push(['refresh', String(step.proxy.stats.refreshSeconds)]);
  return { status: 200, reason: 'OK', headers, body: renderHtml(rows, step.proxy.stats, refresh) };
}
