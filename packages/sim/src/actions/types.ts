// What an action is once compiled: a closure over the stream that changes it and says how the
// rule set goes on (continue, stop the rule set, or end the stream with a reply or a close).
import type { Model, ProxyModel, RuleSet, RuleStatement, Word } from '@haplo/parser';
import type { CompileEnv } from '../compile-env.js';
import type { SimRuntime } from '../pipeline/runtime-port.js';
import type { HttpErrorsIndex } from '../responses/errorfiles.js';
import type { Reply } from '../responses/reply.js';
import type { StreamContext } from '../stream/context.js';
import type { ServiceName } from './services.js';

/** How a stream ends when it is not forwarded. */
export type Outcome = 'forward' | 'deny' | 'tarpit' | 'redirect' | 'return' | 'reject' | 'error' | 'service';

export type ActionVerdict =
  /** Non-final action: the next rule runs. */
  | { kind: 'continue'; change?: string }
  /** `allow` / `accept`: this rule set ends, processing goes on. */
  | { kind: 'stop'; change?: string }
  /** The stream ends here: a reply (deny, return, redirect, tarpit, auth) or a close (reject, no reply). */
  | { kind: 'final'; outcome: Outcome; reply?: Reply; change?: string; service?: ServiceName };

/** Per-request view an action runs against. */
export interface ActionRun {
  ctx: StreamContext;
  rt: SimRuntime;
  /** HAProxy's reply for error `code` in this stream (backend errorfiles, frontend's, built-in). */
  errorReply(code: number): Reply;
  /** Set by set-log-level and similar traced-only actions. */
  notes: Map<string, string>;
}

export type CompiledAction = (run: ActionRun) => ActionVerdict;

/** Everything an action compiler may look at, once, at load. */
export interface ActionCompileContext {
  rule: RuleStatement;
  ruleSet: RuleSet;
  /** The proxy whose rule set holds the rule (for a named-defaults rule: the proxy it runs for). */
  proxy: ProxyModel;
  model: Model;
  env: CompileEnv;
  httpErrors: HttpErrorsIndex;
  /** Arguments after the action word. */
  args: readonly Word[];
  /** The parenthesised part of the action word (`txn.x` of `set-var(txn.x)`), if any. */
  paren?: string;
}

export type ActionCompiler = (cx: ActionCompileContext) => CompiledAction;

/** A compile-time refusal: the action is known to HAProxy but this simulator does not model it. */
export class UnsupportedAction extends Error {}
