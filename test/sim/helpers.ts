// Shared helpers for sim tests: parse a tiny config with the real parser and compile its pieces.
import { buildModel, defaultEnvironment, parseConfig, type AclExpr, type Condition, type ProxyModel, type SampleExpr } from '@haplo/parser';
import { compileAclExpr, compileCondition, compileLogFormat, compileSample, createAclTable, createContext, sampleText, type CompileEnv, type ContextOptions, type StreamContext } from '../../packages/sim/src/index.js';

export function model(text: string) {
  const { file } = parseConfig(text, 't.cfg', { env: defaultEnvironment({}) });
  return buildModel([file]);
}

/** The frontend `fe` of a config made of `lines` (indented under `frontend fe`). */
export function frontend(lines: string[]): ProxyModel {
  const m = model(['frontend fe', '  mode http', ...lines.map((l) => '  ' + l)].join('\n') + '\n');
  return m.proxies.find((p) => p.name === 'fe')!;
}

/** The AclExpr of `acl x <text>`. */
export function aclExpr(text: string): AclExpr {
  const p = frontend([`acl x ${text}`]);
  const d = p.acls.get('x')?.[0];
  if (!d?.expr) throw new Error(`no ACL parsed from ${text}`);
  return d.expr;
}

/** The SampleExpr of `http-request set-var(txn.x) <expr>`. */
export function sampleExpr(text: string): SampleExpr {
  const p = frontend([`http-request set-var(txn.x) ${text}`]);
  const rule = p.rules.get('http-request')![0]!;
  const s = rule.samples[0]?.expr;
  if (!s) throw new Error(`no sample parsed from ${text}`);
  return s;
}

export function evalSample(text: string, ctx: StreamContext, env: CompileEnv = {}): string {
  return sampleText(compileSample(sampleExpr(text), env).one(ctx));
}

export function evalLogFormat(text: string, ctx: StreamContext, env: CompileEnv = {}): string {
  const p = frontend([`http-request set-header X-Out "${text}"`]);
  const rule = p.rules.get('http-request')![0]!;
  const lf = rule.logFormats[0]?.format;
  if (!lf) return text;
  return compileLogFormat(lf, env)(ctx);
}

export function aclResult(text: string, ctx: StreamContext, env: CompileEnv = {}): string {
  return compileAclExpr(aclExpr(text), env).evaluate(ctx).result;
}

/** Compiles the condition of the last `http-request` rule of a frontend built from `lines`. */
export function condition(lines: string[], env: CompileEnv = {}): { run: (ctx: StreamContext) => ReturnType<ReturnType<typeof compileCondition>>; cond?: Condition } {
  const p = frontend(lines);
  const rules = p.rules.get('http-request')!;
  const rule = rules[rules.length - 1]!;
  const run = compileCondition(rule.condition, createAclTable(p, env), env, { line: rule.line.line + 1 });
  return { run, cond: rule.condition };
}

export function req(o: ContextOptions['request'] = {}, rest: Omit<ContextOptions, 'request'> = {}): StreamContext {
  return createContext({ request: o, ...rest });
}
