// Health checks: TCP and HTTP checks per server, HAProxy's rise/fall state machine, notices.
export { startHealthChecks, type HealthChecks, type HealthCheckOptions } from './health-checks.js';
export type { ServerCheckState } from './server-check.js';
export type { CheckStatus, ProbeResult } from './check-probe.js';
export { haproxyLine, stderrLogger, type HealthLogger, type NoticeLevel } from './notices.js';
export { checkConfigs, type CheckConfig } from './check-config.js';
