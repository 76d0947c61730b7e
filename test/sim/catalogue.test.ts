// Every implemented fetch and converter is a real HAProxy 2.6 keyword (the catalogue's name) with
// a compatible type, and the slice covers the required ground.
import { catalogue } from '@haplo/parser';
import { describe, expect, it } from 'vitest';
import { castable, converterNames, fetchNames, getConverterDef, getFetchDef } from '../../packages/sim/src/index.js';

describe('registry against the catalogue', () => {
  it('implements at least 60 fetches and 30 converters', () => {
    expect(fetchNames().length).toBeGreaterThanOrEqual(60);
    expect(converterNames().length).toBeGreaterThanOrEqual(30);
  });

  it.each(fetchNames())('fetch %s exists in the catalogue with a compatible output type', (name) => {
    const spec = catalogue.getFetch(name);
    expect(spec, name).toBeDefined();
    expect(castable(getFetchDef(name)!.output, spec!.output), `${getFetchDef(name)!.output} vs ${spec!.output}`).toBe(true);
  });

  it.each(converterNames())('converter %s exists in the catalogue with compatible types', (name) => {
    const spec = catalogue.getConverter(name);
    expect(spec, name).toBeDefined();
    const def = getConverterDef(name)!;
    expect(castable(spec!.input, def.input), `in ${spec!.input} vs ${def.input}`).toBe(true);
    expect(castable(def.output, spec!.output), `out ${def.output} vs ${spec!.output}`).toBe(true);
  });
});
