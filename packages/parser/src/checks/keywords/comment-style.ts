// `// text` lines: HAProxy has no `//` comments and reads the first word as an (unknown) keyword.
// This is the only diagnostic for such a line; the unknown-keyword checks skip it.
import { codes } from '../../diagnostics/codes.js';
import type { Check } from '../registry.js';
import { shift, statementVisits } from './util.js';

export const commentStyleCheck: Check = {
  name: 'comment-style',
  run(ctx) {
    const visits = statementVisits(ctx.model);
    for (let n = 0; n < visits.length; n++) {
      const { stmt, file, slashComment } = visits[n]!;
      if (!slashComment) continue;
      const first = stmt.line.words[0]!;
      const slashes = { start: first.range.start, end: shift(first.range.start, 2) };
      const range = { start: first.range.start, end: stmt.line.range.end };
      ctx.report(codes.commentStyle, file, range, "'//' does not start a comment in HAProxy; use '#'", {
        fixes: [{ title: "Replace '//' with '#'", edits: [{ file, range: slashes, newText: '#' }] }],
      });
    }
  },
};
