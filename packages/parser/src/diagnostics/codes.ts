// Every diagnostic haplo reports, with a stable code users can search for and silence
// (`# haplo-disable-line HAP2001`). Codes never change meaning; retired ones are not reused.
// Severity follows HAProxy: what stops `haproxy -c` is an error, what it only warns about is a
// warning; haplo's own advice (unused ACLs, …) is a warning or a hint.
import type { Severity } from './diagnostic.js';

export interface CodeInfo {
  code: string;
  severity: Severity;
  /** What the code is about, for docs and hovers. */
  title: string;
}

function code(code: string, severity: Severity, title: string): CodeInfo {
  return { code, severity, title };
}

export const codes = {
  // 1xxx: lexing, directives, structure of a line
  unmatchedQuote: code('HAP1001', 'error', 'A quote is opened and never closed on the same line'),
  badHexEscape: code('HAP1002', 'error', 'A \\x escape needs exactly two hexadecimal digits'),
  badEnvReference: code('HAP1003', 'error', 'A $ in double quotes does not start a valid environment variable reference'),
  tooManyWords: code('HAP1004', 'error', 'A line has more than 64 words'),
  missingFinalNewline: code('HAP1005', 'error', 'The last line does not end with a line feed'),
  strayNul: code('HAP1006', 'error', 'A NUL byte inside a line'),
  conditionalStructure: code('HAP1010', 'error', 'A .if/.elif/.else/.endif that does not match'),
  badIfExpression: code('HAP1011', 'error', 'A .if or .elif expression HAProxy cannot evaluate'),
  unknownDirective: code('HAP1012', 'error', 'A line starting with a dot that is not a known directive'),
  directiveNotice: code('HAP1013', 'info', 'A .notice or .diag message'),
  directiveWarning: code('HAP1014', 'warning', 'A .warning message'),
  directiveAlert: code('HAP1015', 'error', 'An .alert message: HAProxy stops here'),
  directiveArguments: code('HAP1016', 'error', 'A directive with the wrong number of arguments'),
  sampleSyntax: code('HAP1020', 'error', 'A sample expression that does not parse'),
  logFormatSyntax: code('HAP1021', 'error', 'A log-format string that does not parse'),
  conditionSyntax: code('HAP1022', 'error', 'A condition that does not parse'),
  outOfSection: code('HAP1030', 'error', 'A keyword before any section'),
  commentStyle: code('HAP1031', 'error', 'A "//" line: HAProxy comments start with "#"'),
  inactiveBranch: code('HAP1040', 'hint', 'Lines in a .if branch that is not taken'),

  // 2xxx: keywords, sections, arguments
  unknownKeyword: code('HAP2001', 'error', 'A keyword HAProxy does not know in this section'),
  keywordNotAllowed: code('HAP2002', 'error', 'A keyword that is not allowed in this kind of section'),
  keywordIgnored: code('HAP2003', 'warning', 'A keyword HAProxy ignores in this kind of proxy'),
  missingArgument: code('HAP2004', 'error', 'A keyword with too few arguments'),
  extraArgument: code('HAP2005', 'error', 'A keyword with too many arguments'),
  badArgument: code('HAP2006', 'error', 'An argument of the wrong shape (time, size, integer, address, port, enum)'),
  badModifier: code('HAP2007', 'error', '"no" or "default" before a keyword that does not take it'),
  deprecatedKeyword: code('HAP2008', 'warning', 'A deprecated keyword, with its replacement'),
  unknownAction: code('HAP2010', 'error', 'An action that does not exist in this rule set'),
  badConditionKeyword: code('HAP2011', 'error', 'Something other than if/unless where a condition starts'),
  unknownOption: code('HAP2012', 'error', 'An option that does not exist'),
  unknownServerKeyword: code('HAP2013', 'error', 'An unknown keyword on a server, default-server or bind line'),
  badName: code('HAP2014', 'error', 'A name with characters HAProxy does not allow'),
  badSectionHeader: code('HAP2015', 'error', 'A section header with a missing or extra argument'),

  // 3xxx: ACLs, fetches, converters, conditions
  unknownFetch: code('HAP3001', 'error', 'A sample fetch that does not exist'),
  unknownConverter: code('HAP3002', 'error', 'A converter that does not exist'),
  fetchWrongPhase: code('HAP3003', 'error', 'A sample fetch used where its data is not available'),
  aclNeverMatches: code('HAP3004', 'warning', 'An ACL that can never match where it is used'),
  undefinedAcl: code('HAP3005', 'error', 'A condition names an ACL that is not declared before it'),
  unusedAcl: code('HAP3006', 'warning', 'An ACL that no condition uses'),
  fetchAsAclName: code('HAP3007', 'error', 'A sample fetch written where an ACL name is expected'),
  unknownMatchMethod: code('HAP3008', 'error', 'A -m method that does not exist'),
  aclNoPattern: code('HAP3009', 'warning', 'An ACL with no pattern never matches'),
  aclBadPattern: code('HAP3010', 'error', 'A pattern that does not fit the match method (integer, IP, regex)'),
  aclBadFlag: code('HAP3011', 'error', 'An unknown ACL flag'),
  aclNeedsMethod: code('HAP3012', 'error', 'A binary fetch used in an ACL without -m'),
  patternFileMissing: code('HAP3013', 'error', 'A -f pattern or map file that does not exist'),
  badFetchArguments: code('HAP3014', 'error', 'A fetch or converter with the wrong arguments'),
  badVariableName: code('HAP3015', 'error', 'A variable name without a valid scope'),
  predefinedAclAsFetch: code('HAP3016', 'error', 'A predefined ACL name used as a criterion'),

  // 4xxx: references and symbols
  unknownBackend: code('HAP4001', 'error', 'A backend reference that names no backend'),
  unusedBackend: code('HAP4002', 'warning', 'A backend no frontend routes to'),
  duplicateProxy: code('HAP4003', 'error', 'Two proxies with overlapping capabilities share a name'),
  duplicateServer: code('HAP4004', 'error', 'Two servers of a backend share a name'),
  unknownServer: code('HAP4005', 'error', 'A server reference that names no server'),
  missingStickTable: code('HAP4006', 'error', 'A stick or track rule with no stick-table to use'),
  unknownTable: code('HAP4007', 'error', 'A table reference that names no stick-table'),
  unknownDefaults: code('HAP4008', 'error', 'A "from" that names no defaults section'),
  unknownUserlist: code('HAP4009', 'error', 'A userlist reference that names no userlist'),
  unknownSection: code('HAP4010', 'error', 'A reference to a missing http-errors, cache, peers, resolvers, mailers or ring section'),
  fileNotFound: code('HAP4011', 'error', 'A certificate, error file or other file that does not exist'),
  duplicateSection: code('HAP4012', 'error', 'Two sections of a kind that must be unique share a name'),
  sharedRuleDefaults: code('HAP4013', 'error', 'Frontends and backends inherit rules from the same defaults section'),

  // 5xxx: behaviour and ordering
  httpRuleInTcpMode: code('HAP5001', 'warning', 'An HTTP-only rule in a mode tcp proxy is ignored'),
  ruleOrder: code('HAP5002', 'warning', 'A rule placed after rules that HAProxy runs after it'),
  unreachableRule: code('HAP5003', 'warning', 'A rule that never runs because an earlier rule always ends the phase'),
  missingTimeouts: code('HAP5004', 'warning', 'A proxy with no client, connect or server timeout'),
  frontendWithoutBind: code('HAP5005', 'warning', 'A frontend with no bind line'),
  noListener: code('HAP5006', 'warning', 'A configuration with no listener'),
  optionFallback: code('HAP5007', 'warning', 'An option that falls back to another in this mode'),
  programNeedsMasterWorker: code('HAP5008', 'error', 'A program section without master-worker mode'),
  incompletePeers: code('HAP5009', 'warning', 'A peers section with no local peer is removed'),
} as const satisfies Record<string, CodeInfo>;

export type CodeName = keyof typeof codes;
