// Variables by scope (`txn.x`). Names are resolved once at compile time into a scope and a key.
import type { Sample } from '../sample/sample.js';
import { VAR_SCOPES, type StreamContext, type VarScope } from './context.js';

export interface VarRef {
  scope: VarScope;
  name: string;
  /** `txn.x` as written. */
  text: string;
}

/** `txn.x` → { scope: 'txn', name: 'x' }; undefined for a bad scope (`check` is accepted but never set here). */
export function parseVarName(text: string): VarRef | undefined {
  const dot = text.indexOf('.');
  if (dot <= 0 || dot === text.length - 1) return undefined;
  const scope = text.slice(0, dot) as VarScope;
  if (!VAR_SCOPES.includes(scope)) return undefined;
  return { scope, name: text.slice(dot + 1), text };
}

export function getVar(ctx: StreamContext, v: VarRef): Sample | undefined {
  return ctx.vars[v.scope].get(v.name);
}

export function setVar(ctx: StreamContext, v: VarRef, s: Sample): void {
  ctx.vars[v.scope].set(v.name, s);
}

export function unsetVar(ctx: StreamContext, v: VarRef): void {
  ctx.vars[v.scope].delete(v.name);
}

/** The message HAProxy prints for a bad variable name. */
export function badVarMessage(text: string): string {
  return `invalid variable name '${text}'. A variable name must be start by its scope. The scope can be 'proc', 'sess', 'txn', 'req', 'res' or 'check'.`;
}
