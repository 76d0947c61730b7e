// Logging for `haplo run` (HAProxy manual §8): records, formats, syslog targets.
export { StreamLogRecord, type LogMark, type RecordOptions, type ServerConnectionInfo } from './stream-log-record.js';
export type { TerminationCause, TerminationPhase, RequestCookieState, ResponseCookieState } from './termination.js';
export { createProcessLogging, type LoggingOptions, type ProcessLogging } from './process-logging.js';
export type { FrontendLogger, LogMessage } from './frontend-logger.js';
export type { ConnectionCounts } from './line-input.js';
export type { HeaderPairs } from './header-captures.js';
export { compileLogFormat, type LineRenderer } from './format-compiler.js';
export { createLogSinks, type LogSinks, type LineStream } from './log-sinks.js';
export { parseLogTarget, type LogTarget } from './log-targets.js';
export { LOG_LEVELS, FACILITIES, SYSLOG_FORMATS, type LogLevelName, type SyslogFormat } from './syslog-names.js';
export { httpHeadBytes, httpMessageBytes, CHUNKED_END_BYTES } from './message-bytes.js';
