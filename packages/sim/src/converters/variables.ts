// set-var/unset-var as converters: they store (or clear) a variable and pass the sample on.
import { reportProblem } from '../compile-env.js';
import { badVarMessage, parseVarName, setVar, unsetVar } from '../stream/variables.js';
import type { ConverterDef } from './registry.js';

export const variableConverters: readonly ConverterDef[] = [
  {
    name: 'set-var',
    input: 'any',
    output: 'any',
    compile(args, env) {
      const ref = parseVarName(args[0] ?? '');
      if (!ref) reportProblem(env, badVarMessage(args[0] ?? ''));
      return (s, ctx) => {
        if (ref) setVar(ctx, ref, s);
        return s;
      };
    },
  },
  {
    name: 'unset-var',
    input: 'any',
    output: 'any',
    compile(args, env) {
      const ref = parseVarName(args[0] ?? '');
      if (!ref) reportProblem(env, badVarMessage(args[0] ?? ''));
      return (s, ctx) => {
        if (ref) unsetVar(ctx, ref);
        return s;
      };
    },
  },
];
