// The parts of a Node SecureContext both sides share: protocol range, ciphers, cipher order,
// session tickets. Built from a line's options (plus, for a crt-list line, its own overrides).
import { constants } from 'node:crypto';
import type { SecureContextOptions } from 'node:tls';
import { nodeCipherString } from './cipher-string.js';
import { versionRange, type VersionRange } from './tls-versions.js';

/** What the settings code reads: an option's value, and whether it is written. */
export interface OptionLookup {
  has(name: string): boolean;
  value(name: string): string | undefined;
}

export interface ContextSettings {
  options: SecureContextOptions;
  notes: VersionRange['notes'];
}

export function contextSettings(o: OptionLookup, side: 'bind' | 'server'): ContextSettings {
  const range = versionRange(o);
  const options: SecureContextOptions = { minVersion: range.minVersion, maxVersion: range.maxVersion };
  const ciphers = nodeCipherString(o.value('ciphers'), o.value('ciphersuites'));
  if (ciphers !== undefined) options.ciphers = ciphers;
  // HAProxy prefers its own cipher order on binds unless told otherwise; Node's default is the client's.
  if (side === 'bind') options.honorCipherOrder = !o.has('prefer-client-ciphers');
  if (o.has('no-tls-tickets')) options.secureOptions = constants.SSL_OP_NO_TICKET;
  // `curves` (a list) wins over `ecdhe` (one curve), as in HAProxy.
  const curves = o.value('curves') ?? o.value('ecdhe');
  if (curves !== undefined) options.ecdhCurve = curves;
  return { options, notes: range.notes };
}
