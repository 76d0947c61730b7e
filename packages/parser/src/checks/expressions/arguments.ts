// Argument counts of fetches and converters, where HAProxy's behaviour is certain: too many
// arguments, and a missing first argument of a kind HAProxy cannot default (an integer, a
// userlist, a server). A missing backend or table argument means "this proxy", and a missing
// string is read as empty (`str` alone is accepted), so neither is reported.
import type { SampleArg, SampleCall } from '../../ast/nodes.js';
import { spanRange } from '../../ast/ranges.js';
import { getConverter, type SampleArgSpec } from '../../catalogue/index.js';
import { codes } from '../../diagnostics/codes.js';
import type { Check, CheckContext } from '../registry.js';
import { sampleVisits } from './expression-index.js';
import { isAclSite, type SampleVisit } from './walk.js';

function where(v: SampleVisit, call: SampleCall, kind: 'fetch method' | 'converter'): string {
  if (kind === 'converter') {
    return isAclSite(v.site) ? `ACL keyword '${v.expr.fetch.name}' : invalid args in converter '${call.name}'` : `invalid args in converter '${call.name}'`;
  }
  return `fetch method '${call.name}'`;
}

const NO_ARGS: readonly SampleArg[] = [];

function check(ctx: CheckContext, v: SampleVisit, call: SampleCall, specs: readonly SampleArgSpec[], kind: 'fetch method' | 'converter'): void {
  const given = call.args ?? NO_ARGS;
  const file = v.section.file;
  if (given.length > specs.length) {
    const extra = given[specs.length]!;
    const range = spanRange(extra.range, given[given.length - 1]!.range);
    const allowed = specs.length === 0 ? 'takes no argument' : `takes at most ${specs.length} argument${specs.length > 1 ? 's' : ''}`;
    ctx.report(
      codes.badFetchArguments, file, range,
      `${where(v, call, kind)} : expected ')' before ',${given.slice(specs.length).map((a) => a.value).join(',')})': '${call.name}' ${allowed}, ${given.length} given.`,
    );
    return;
  }
  if (given.length > 0) return;
  const first = specs[0];
  if (!first || first.optional) return;
  let message: string | undefined;
  if (first.type === 'integer') message = `expected type 'integer' at position 1, but got nothing`;
  else if (first.type === 'user list') message = `missing userlist name in arg 1`;
  else if (first.type === 'server') message = `missing server name in arg 1 (write '<backend>/<server>')`;
  if (!message) return;
  ctx.report(codes.badFetchArguments, file, call.range, `${where(v, call, kind)} : ${message}.`);
}

export const argumentsCheck: Check = {
  name: 'fetch-and-converter-arguments',
  run(ctx) {
    const samples = sampleVisits(ctx.model);
    for (let n = 0; n < samples.length; n++) {
      const v = samples[n]!;
      const fetch = v.fetch;
      if (fetch) check(ctx, v, v.expr.fetch, fetch.args, 'fetch method');
      const convs = v.expr.converters;
      for (let i = 0; i < convs.length; i++) {
        const conv = convs[i]!;
        const spec = getConverter(conv.name);
        if (spec) check(ctx, v, conv, spec.args, 'converter');
      }
    }
  },
};
