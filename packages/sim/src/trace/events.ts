// The trace is a list of typed events, in the order the pipeline produced them. Renderers
// (text, JSON) and `haplo test` coverage read it; nothing in the pipeline reads it back.
import type { AclEvaluation } from '../condition/compile.js';
import type { Outcome } from '../actions/types.js';

/** The phases of the request lifecycle, in HAProxy's order (reference §5.1). */
export const PHASE_NAMES = [
  'tcp-request connection',
  'tcp-request session',
  'tcp-request content',
  'http-request',
  'redirect',
  'use_backend',
  'use-server',
  'server selection',
  'forward',
  'tcp-response content',
  'stick store-response',
  'http-response',
  'http-after-response',
] as const;
export type PhaseName = (typeof PHASE_NAMES)[number];

export interface MessageSnapshot {
  method?: string;
  uri?: string;
  /** The request line's version (`1.1`), for the request as forwarded. */
  version?: string;
  status?: number;
  reason?: string;
  headers: [string, string][];
  body?: string;
}

export type TraceEvent =
  | { type: 'phase'; phase: PhaseName; proxy: string }
  | {
      type: 'rule';
      phase: PhaseName;
      proxy: string;
      file: string;
      /** 1-based config line. */
      line: number;
      text: string;
      /** The condition's value; null when the rule has none. */
      condition: boolean | null;
      acls: AclEvaluation[];
      action: string;
      /** Whether the action is a final one in HAProxy's sense (ends the rule set when it runs). */
      final: boolean;
      /** What the action did (only when the condition held). */
      change?: string;
      /** The rule's action is not simulated: it was skipped and says so. */
      unsupported?: string;
    }
  | { type: 'phase-end'; phase: PhaseName; proxy: string; verdict: 'continue' | 'stop' | 'final' | 'wait' }
  | { type: 'backend'; frontend: string; backend: string | null; how: string; line?: number }
  | { type: 'server'; backend: string; server: string | null; reason: string; detail: string }
  | { type: 'forward'; request: MessageSnapshot; changes: string[] }
  | { type: 'response'; source: 'server' | 'haproxy'; response: MessageSnapshot }
  | { type: 'end'; outcome: Outcome; status: number | null }
  | { type: 'note'; text: string };

/** Collects events for one request. */
export interface TraceRecorder {
  /** False for the no-op recorder: callers skip building events (and ACL detail) altogether. */
  readonly enabled: boolean;
  readonly events: TraceEvent[];
  push(e: TraceEvent): void;
}

export function createRecorder(): TraceRecorder {
  const events: TraceEvent[] = [];
  return { enabled: true, events, push: (e) => void events.push(e) };
}

const NO_EVENTS: TraceEvent[] = [];
Object.freeze(NO_EVENTS);

/** For callers that need only the outcome (the benchmark, the proxy): records nothing, allocates nothing. */
export const NO_TRACE: TraceRecorder = Object.freeze({ enabled: false, events: NO_EVENTS, push: () => undefined });
