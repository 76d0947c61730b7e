// Every check haplo runs, grouped by what they look at.
import { expressionChecks } from './expressions/index.js';
import { keywordChecks } from './keywords/index.js';
import { referenceChecks } from './references/index.js';
import type { Check } from './registry.js';

export const allChecks: readonly Check[] = [...keywordChecks, ...expressionChecks, ...referenceChecks];
