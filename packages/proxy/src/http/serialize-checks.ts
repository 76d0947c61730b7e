// Checks on header fields about to be written: whatever a rule or the proxy put there must still
// read back as exactly one field line (no response splitting, nothing our own parser would refuse).
import { FIELD_VALUE, TOKEN } from './chars.js';

/** Why `name: value` cannot be written as one field line, or undefined when it can. */
export function validateField(name: string, value: string): string | undefined {
  if (name.length === 0) return 'empty header name';
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c > 0xff || TOKEN[c] !== 1) return `header name ${JSON.stringify(name)} contains a character that is not a token character`;
  }
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0xff || FIELD_VALUE[c] !== 1) {
      const what = c === 0x0d || c === 0x0a ? 'a line break' : c > 0xff ? 'a character outside Latin-1' : 'a control character';
      return `the value of header ${name} contains ${what} (U+${c.toString(16).toUpperCase().padStart(4, '0')})`;
    }
  }
  return undefined;
}
