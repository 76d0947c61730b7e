// The converter registry: each converter compiles its arguments once (maps and regexes
// included) into a function from an input sample (already cast to its input type) to an output.
import type { CompileEnv } from '../compile-env.js';
import type { DeclaredType, Sample } from '../sample/sample.js';
import type { StreamContext } from '../stream/context.js';

export type Convert = (input: Sample, ctx: StreamContext) => Sample | undefined;

export interface ConverterDef {
  name: string;
  input: DeclaredType;
  output: DeclaredType;
  compile(args: readonly string[], env: CompileEnv): Convert;
  /**
   * The compiled converter stays safe to run after reporting a problem (a map whose file is
   * missing still gives its default); others are replaced by "no sample" when they report one.
   */
  robust?: boolean;
}

const registry = new Map<string, ConverterDef>();

export function registerConverters(defs: readonly ConverterDef[]): void {
  for (const d of defs) registry.set(d.name, d);
}

export function getConverterDef(name: string): ConverterDef | undefined {
  return registry.get(name);
}

export function converterNames(): string[] {
  return [...registry.keys()];
}

/** A converter without arguments. */
export function simple(name: string, input: DeclaredType, output: DeclaredType, f: Convert): ConverterDef {
  return { name, input, output, compile: () => f };
}
