// @haplo/parser: haproxy.cfg → AST → model → diagnostics and formatting.
export type * from './ast/nodes.js';
export { rangeInWord, spanRange, containsPosition } from './ast/ranges.js';
export type { Diagnostic, Fix, Severity } from './diagnostics/diagnostic.js';
export { codes, type CodeInfo, type CodeName } from './diagnostics/codes.js';
export { suppressionComment } from './diagnostics/suppression.js';
export { defaultEnvironment, HAPROXY_26_FEATURES, type Environment } from './lexer/environment.js';
export { tokenizeLine } from './lexer/line-tokenizer.js';
export { parseConfig, type ParseOptions, type ParseResult } from './parse/document-parser.js';
export { parseSampleExpression } from './grammar/sample-expression.js';
export { parseLogFormat } from './grammar/log-format.js';
export { parseCondition } from './grammar/condition-parser.js';
export { parseAclExpression } from './grammar/acl-expression.js';
export { buildModel } from './model/build-model.js';
export type * from './model/types.js';
export { checkSources, type CheckOptions, type CheckResult, type SourceInput } from './check-sources.js';
export { formatSource } from './format/formatter.js';
export * as catalogue from './catalogue/index.js';
export { IncrementalDocument, type IncrementalAnalysis } from './incremental/index.js';
