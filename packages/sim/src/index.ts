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
  createContext, seededRandom, isResponsePhase, VAR_SCOPES,
  type StreamContext, type Connection, type TlsInfo, type HttpRequest, type HttpResponse, type Phase,
  type Variables, type VarScope, type Captures, type ContextOptions, type DescribedRequest,
} from './stream/context.js';
export * from './stream/headers.js';
export { requestCookies, responseCookies, cookieValues, type Cookie } from './stream/cookies.js';
export { pathAndQuery, uriPath, uriQuery, params, paramValues } from './stream/uri.js';
export { parseVarName, getVar, setVar, unsetVar, badVarMessage, type VarRef } from './stream/variables.js';

export { getFetchDef, fetchNames, type FetchDef, type CompiledFetch } from './fetches/registry.js';
export { getConverterDef, converterNames, type ConverterDef, type Convert } from './converters/registry.js';

export { compilePatterns, matchWord, parseIpPattern, patternFileLines, MATCH_METHODS, type MatchMethod, type PatternSet, type PatternInput } from './acl/patterns.js';
export { compileAclExpr, type CompiledAclExpr, type AclResult, type AclMatch } from './acl/compile.js';
export { createAclTable, type AclTable, type CompiledNamedAcl, type NamedAclOutcome } from './acl/named.js';
export { predefinedAcl } from './acl/predefined.js';
export { compileCondition, type CompiledCondition, type ConditionOutcome, type AclEvaluation } from './condition/compile.js';
export { compileRegex } from './regex.js';
