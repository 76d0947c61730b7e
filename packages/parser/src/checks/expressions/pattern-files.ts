// Pattern and map files that do not exist: `-f <file>` in ACLs and the file argument of the
// `map*` converters. HAProxy refuses to start when it cannot open one. Skipped when the caller
// cannot tell whether a file exists (an editor with no file system access).
import { codes } from '../../diagnostics/codes.js';
import type { Check } from '../registry.js';
import { sampleVisits } from './expression-index.js';

export const patternFilesCheck: Check = {
  name: 'pattern-files',
  run(ctx) {
    const exists = ctx.options.fileExists;
    if (!exists) return;
    const seen = new Map<string, boolean>();
    const has = (path: string): boolean => {
      let r = seen.get(path);
      if (r === undefined) seen.set(path, (r = exists(path)));
      return r;
    };
    const samples = sampleVisits(ctx.model);
    for (let n = 0; n < samples.length; n++) {
      const v = samples[n]!;
      const file = v.section.file;
      if (v.acl && v.expr === v.acl.criterion) {
        for (const f of v.acl.flags) {
          if (f.flag.value !== '-f' || !f.arg || f.arg.value === '' || has(f.arg.value)) continue;
          const where = v.site === 'acl' && v.stmt.type === 'acl' && v.stmt.name ? `error detected while parsing ACL '${v.stmt.name.value}' : ` : '';
          ctx.report(codes.patternFileMissing, file, f.arg.range, `${where}failed to open pattern file <${f.arg.value}>.`);
        }
      }
      for (const c of v.expr.converters) {
        if (!/^map(_|$)/.test(c.name)) continue;
        const arg = c.args?.[0];
        if (!arg || arg.value === '' || has(arg.value)) continue;
        ctx.report(codes.patternFileMissing, file, arg.range, `invalid args in converter '${c.name}' : failed to open pattern file <${arg.value}>.`);
      }
    }
  },
};
