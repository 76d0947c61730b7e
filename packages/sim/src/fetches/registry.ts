// The fetch registry: each fetch, by its catalogue name, compiles its arguments once into
// closures over the stream context. `one` is the plain value (what `%[…]` and set-var see);
// `all` gives every value of a multi-valued fetch, which ACLs try one by one.
import type { CompileEnv } from '../compile-env.js';
import type { DeclaredType, Miss, Outcome, Sample } from '../sample/sample.js';
import type { StreamContext } from '../stream/context.js';

export interface CompiledFetch {
  one(ctx: StreamContext): Outcome;
  /** Every value, for ACLs; absent for single-valued fetches. */
  all?(ctx: StreamContext): readonly Sample[] | Miss;
  /** True when a non-matching value may still change (more data may come): the ACL gives MISS. */
  mayChange?(ctx: StreamContext): boolean;
}

export interface FetchDef {
  name: string;
  output: DeclaredType;
  compile(args: readonly string[], env: CompileEnv): CompiledFetch;
}

const registry = new Map<string, FetchDef>();

export function registerFetches(defs: readonly FetchDef[]): void {
  for (const d of defs) registry.set(d.name, d);
}

export function getFetchDef(name: string): FetchDef | undefined {
  return registry.get(name);
}

/** Names of every implemented fetch. */
export function fetchNames(): string[] {
  return [...registry.keys()];
}

/** A fetch without arguments. */
export function plain(name: string, output: DeclaredType, one: (ctx: StreamContext) => Outcome, extra: Partial<CompiledFetch> = {}): FetchDef {
  const compiled: CompiledFetch = { one, ...extra };
  return { name, output, compile: () => compiled };
}

/** Aliases sharing one implementation. */
export function alias(def: FetchDef, ...names: string[]): FetchDef[] {
  return [def, ...names.map((name) => ({ ...def, name }))];
}

/** Parses an integer argument the way HAProxy's arg parser does (whole word, optional sign). */
export function intArg(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  return /^[-+]?\d+$/.test(text) ? Number(text) : undefined;
}
