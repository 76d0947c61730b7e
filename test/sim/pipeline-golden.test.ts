// Golden files for whole flows: `golden/NAME.cfg` + `NAME.request.json` (one request, or a
// sequence sharing one runtime) → `NAME.expected.json`, the `haplo sim --json` output.
// Regenerate with UPDATE_GOLDEN=1 after checking the change is right.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resultToJson, type SimRequest, type SimulatedReply } from '../../packages/sim/src/index.js';
import { pipelineOf } from './pipeline-helpers.js';

const dir = fileURLToPath(new URL('./golden/', import.meta.url));
type Step = { request: SimRequest; reply?: SimulatedReply };

describe('golden flows', () => {
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.cfg')).map((f) => f.slice(0, -4)).sort()) {
    it(name, () => {
      const spec = JSON.parse(readFileSync(join(dir, `${name}.request.json`), 'utf8')) as Step & { requests?: Step[] };
      const p = pipelineOf(readFileSync(join(dir, `${name}.cfg`), 'utf8'));
      const rt = p.createRuntime();
      const steps = spec.requests ?? [spec];
      const out = steps.map((s) => resultToJson(p.run(s.request, rt, s.reply)));
      const actual = JSON.stringify(spec.requests ? out : out[0], null, 2) + '\n';
      const file = join(dir, `${name}.expected.json`);
      if (process.env.UPDATE_GOLDEN || !existsSync(file)) writeFileSync(file, actual);
      expect(actual).toBe(readFileSync(file, 'utf8'));
    });
  }
});
