// `show info`: HAProxy 2.6's process fields in its order, with haplo's values where it has one
// (the rest are the zeros an idle 2.6 process prints).
import type { StatsSource } from '../stats/sources.js';

const VERSION = '2.6.12-haplo';
const RELEASE = '2026/10/17';

function uptime(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${d}d ${h}h${String(m).padStart(2, '0')}m${String(s).padStart(2, '0')}s`;
}

export function showInfo(src: StatsSource, processStartedAt: number, currentConns: number): string {
  const up = Math.max(0, Math.floor((Date.now() - processStartedAt) / 1000));
  const maxconn = src.globalMaxconn;
  let bytesOut = 0;
  for (const fe of src.pipeline.frontends) bytesOut += src.stats.frontend(fe.name).bout;
  const fields: [string, string | number][] = [
    ['Name', 'HAProxy'], ['Version', VERSION], ['Release_date', RELEASE], ['Nbthread', 1], ['Nbproc', 1], ['Process_num', 1],
    ['Pid', process.pid], ['Uptime', uptime(up)], ['Uptime_sec', up], ['Memmax_MB', 0], ['PoolAlloc_MB', 0], ['PoolUsed_MB', 0],
    ['PoolFailed', 0], ['Ulimit-n', 0], ['Maxsock', 0], ['Maxconn', maxconn], ['Hard_maxconn', maxconn],
    ['CurrConns', currentConns], ['CumConns', src.stats.cumConns], ['CumReq', src.stats.cumReq], ['MaxSslConns', 0],
    ['CurrSslConns', 0], ['CumSslConns', 0], ['Maxpipes', 0], ['PipesUsed', 0], ['PipesFree', 0], ['ConnRate', 0],
    ['ConnRateLimit', 0], ['MaxConnRate', 0], ['SessRate', 0], ['SessRateLimit', 0], ['MaxSessRate', 0], ['SslRate', 0],
    ['SslRateLimit', 0], ['MaxSslRate', 0], ['SslFrontendKeyRate', 0], ['SslFrontendMaxKeyRate', 0],
    ['SslFrontendSessionReuse_pct', 0], ['SslBackendKeyRate', 0], ['SslBackendMaxKeyRate', 0], ['SslCacheLookups', 0],
    ['SslCacheMisses', 0], ['CompressBpsIn', 0], ['CompressBpsOut', 0], ['CompressBpsRateLim', 0], ['Tasks', 0],
    ['Run_queue', 0], ['Idle_pct', 100], ['node', 'haplo'], ['Stopping', 0], ['Jobs', 0], ['Unstoppable Jobs', 0],
    ['Listeners', 0], ['ActivePeers', 0], ['ConnectedPeers', 0], ['DroppedLogs', 0], ['BusyPolling', 0],
    ['FailedResolutions', 0], ['TotalBytesOut', bytesOut], ['TotalSplicdedBytesOut', 0], ['BytesOutRate', 0],
    ['DebugCommandsIssued', 0], ['CumRecvLogs', 0], ['Build info', VERSION], ['Memmax_bytes', 0], ['PoolAlloc_bytes', 0],
    ['PoolUsed_bytes', 0], ['Start_time_sec', Math.floor(processStartedAt / 1000)], ['Tainted', 0],
  ];
  return fields.map(([k, v]) => `${k}: ${v}\n`).join('') + '\n';
}
