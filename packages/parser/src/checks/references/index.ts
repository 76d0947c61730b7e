// Checks on references between sections, proxies, servers and tables (from the model's symbol table).
import type { Check } from '../registry.js';
import { backendChecks } from './backends.js';
import { proxyChecks } from './proxies.js';
import { tableAndSectionChecks } from './tables-and-sections.js';

export const referenceChecks: Check[] = [...backendChecks, ...proxyChecks, ...tableAndSectionChecks];
