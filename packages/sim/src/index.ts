// @haplo/sim: HAProxy's executable semantics compiled once into closures. This slice is the
// sample layer: stream context, fetches, converters, ACL matching, conditions, log-formats.
import './builtins.js';

export type { CompileEnv, CompileProblem } from './compile-env.js';
export { SimCompileError } from './compile-env.js';

export * from './sample/address.js';
export {
  MISS, cast, castable, sampleToString, parseLeadingInt, str, sint, bool, bin, addr,
  type Sample, type SampleType, type DeclaredType, type Outcome, type Miss,
} from './sample/sample.js';
export { compileSample, compileLogFormat, sampleText, type CompiledSample } from './sample/evaluate.js';

export {
  createContext, seededRandom, isResponsePhase, rawRequestBuffer, VAR_SCOPES,
  type StreamContext, type Connection, type TlsInfo, type HttpRequest, type HttpResponse, type Phase,
  type Variables, type VarScope, type Captures, type ContextOptions, type DescribedRequest,
} from './stream/context.js';
export * from './stream/headers.js';
export { requestCookies, responseCookies, cookieValues, type Cookie } from './stream/cookies.js';
export { pathAndQuery, uriPath, uriQuery, params, paramValues } from './stream/uri.js';
export { parseVarName, getVar, setVar, unsetVar, badVarMessage, type VarRef } from './stream/variables.js';

export { getFetchDef, fetchNames, type FetchDef, type CompiledFetch } from './fetches/registry.js';
export { scanRdpCookie, rdpPersistTarget, type RdpCookieScan } from './fetches/payload.js';
export { getConverterDef, converterNames, type ConverterDef, type Convert } from './converters/registry.js';

export { compilePatterns, matchWord, parseIpPattern, patternFileLines, MATCH_METHODS, type MatchMethod, type PatternSet, type PatternInput } from './acl/patterns.js';
export { compileAclExpr, type CompiledAclExpr, type AclResult, type AclMatch } from './acl/compile.js';
export { createAclTable, type AclTable, type CompiledNamedAcl, type NamedAclOutcome } from './acl/named.js';
export { predefinedAcl } from './acl/predefined.js';
export { compileCondition, type CompiledCondition, type ConditionOutcome, type AclEvaluation } from './condition/compile.js';
export { compileRegex } from './regex.js';

// Pipeline, actions, HAProxy's own responses, traces (engineer S2).
export { compilePipeline, LIFECYCLE, type Pipeline, type PipelineOptions, type CompiledProxy } from './pipeline/compile.js';
export type { RunOptions, SimRequest, SimResult, SimulatedReply, ForwardedRequest, ReturnedResponse, PhaseRules } from './pipeline/types.js';
export { SimInputError, normalizeRequest, pickFrontend, splitHostPort } from './pipeline/request.js';
export { httpConnectionMode, serverSideCloses, clientSideCloses, HttpConnectionMode } from './pipeline/connection-mode.js';
export { cleanConnectionValue, closesAfter, connectionTokensOf, peerKeepsAlive, replyConnectionTokens } from './pipeline/connection-header.js';
export { requestHeadText, responseHeadText, replyHeadText, interimHeadText, ClientSide } from './pipeline/forwarded-head.js';
export { PipelineSession, bodyText, type SessionStart, type StreamRequest, type StreamResponse, type RequestStep, type ResponseStep } from './pipeline/stream.js';
export { createSimRuntime, procVarsOf, type SimRuntime } from './pipeline/runtime-port.js';
export { patternEditsOf, setMapEntry, addMapEntry, deleteEntries, type PatternStore, type PatternEntry } from './pipeline/pattern-store.js';
export { observeStreams, streamObserverOf, type StreamObserver, type StreamEnd } from './pipeline/stream-observer.js';
export { statsSettingsOf, statsUriMatches, DEFAULT_STATS_URI, DEFAULT_STATS_REALM, type StatsSettings } from './services/stats-settings.js';
export type { ServiceName } from './actions/services.js';
export type { RulePhase, CompiledRule, PhaseVerdict } from './pipeline/rules.js';
export { actionCompiler, simulatedActions } from './actions/registry.js';
export type { ActionVerdict, ActionRun, CompiledAction, ActionCompileContext, Outcome as StreamOutcome } from './actions/types.js';
export { builtinReply, reasonPhrase, ERROR_CODES, serializeReply, parseErrorFile, type Reply } from './responses/index.js';
export { createRecorder, NO_TRACE, PHASE_NAMES, type TraceEvent, type TraceRecorder, type PhaseName } from './trace/events.js';
export { renderText } from './trace/text.js';
export { renderJson, resultToJson } from './trace/json.js';

// Runtime state, server selection, stick tables and counters (engineer S3).
export { createRuntime, persistUsable, findEntry, STICK_COUNTERS, type Runtime, type RuntimeOptions, type BackendState, type StreamState, type StickCounter, type TrackOrigin } from './runtime/runtime.js';
export { adoptState, type AdoptedState } from './runtime/adopt-state.js';
export { lbUsable, running, hasRoom, initialServers, type ServerState, type ServerStatus } from './runtime/servers.js';
export { createStickTable, tableKey, lookupEntry, getOrCreateEntry, readData, addData, setData, stores, entryCount, parseStoredType, type StickTable, type StickEntry, type StoredType, type TableKeyType } from './runtime/stick-table.js';
export { newFreqCtr, updateFreqCtr, readFreqCtr, type FreqCtr } from './runtime/freq-ctr.js';
export { trackSc, incGpc0, setGpt0, incGpc, incGpcIdx, clrGpc, setGpt, scCounter, keyCounter, readCounter, type CounterRef } from './runtime/counters.js';
export { compileSelection, uriHashInput, urlParamValue, domainOnly, type CompiledSelection, type Selection, type SelectionReason, type SelectionEvent, type SelectionTrace } from './selection/compile.js';
export { balanceConfig, genHash, type BalanceConfig, type BalanceAlgorithm, type HashFunction } from './selection/balance-config.js';
export { createBalancer, type Balancer, type LookupKind } from './selection/balancers.js';
export { cookieConfig, applyCookieRequest, applyCookieResponseHeaders, type CookieConfig, type CookieVerdict, type CookieResponseChange } from './selection/cookie.js';
