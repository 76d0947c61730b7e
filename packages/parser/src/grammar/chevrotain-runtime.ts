// Chevrotain's package entry loads a few hundred lodash-es modules (about 0.3 s, more than
// parsing a large file); the single-file bundle it ships has the same API and loads in about
// 10 ms. Every CLI run pays this, so load the bundle, and the entry only if it is missing.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Chevrotain = typeof import('chevrotain');

async function load(): Promise<Chevrotain> {
  const entry = createRequire(import.meta.url).resolve('chevrotain');
  const bundle = join(dirname(entry), '..', 'chevrotain.min.mjs');
  if (existsSync(bundle)) return (await import(pathToFileURL(bundle).href)) as Chevrotain;
  return import('chevrotain');
}

export const chevrotain: Chevrotain = await load();
