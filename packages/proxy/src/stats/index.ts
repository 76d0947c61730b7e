// Stats: counters per frontend/backend/server, HAProxy's CSV, HTML page and Prometheus metrics.
export { statsOf, ProxyStats, FrontendCounters, BackendCounters, ServerCounters } from './counters.js';
export { countSessions, countUpstreams, countStreams } from './observer.js';
export { registerHealth, statsSource, type StatsSource } from './sources.js';
export { statRows, type StatRow } from './rows.js';
export { renderCsv } from './csv.js';
export { CSV_HEADER, STAT_COLUMNS } from './columns.js';
export { renderPrometheus } from './prometheus.js';
export { serveService } from './serve.js';
export { statsCounters } from './service.js';
