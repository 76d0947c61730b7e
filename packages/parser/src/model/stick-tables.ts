// `stick-table type … size … [expire …] [nopurge] [peers …] [srvkey …] [store …]*` (reference §6.5),
// also the tail of a peers section's `table <name> …`.
import type { Statement, Word } from '../ast/nodes.js';
import type { StickTableModel } from './types.js';
import { parseInteger, parseSize, parseTime, splitTopLevel } from './units.js';

/** Parses the words after `stick-table` (or after `table <name>` in a peers section). */
export function parseStickTable(statement: Statement, words: readonly Word[]): StickTableModel {
  const model: StickTableModel = { statement, store: [], nopurge: false };
  let keyLengthWritten = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!.value;
    const next = words[i + 1];
    switch (w) {
      case 'type':
        if (!next) break;
        model.type = next.value;
        i++;
        if (words[i + 1]?.value === 'len') {
          const len = parseInteger(words[i + 2]?.value);
          if (len !== undefined) {
            model.keyLength = len;
            keyLengthWritten = true;
          }
          i += 2;
        }
        break;
      case 'size':
        model.size = parseSize(next?.value);
        i++;
        break;
      case 'expire':
        model.expireMs = parseTime(next?.value);
        i++;
        break;
      case 'nopurge':
        model.nopurge = true;
        break;
      case 'peers':
        model.peers = next;
        i++;
        break;
      case 'srvkey':
        model.srvkey = next?.value;
        i++;
        break;
      case 'store':
        if (next) for (const part of splitTopLevel(next.value)) if (part.text) model.store.push(part.text);
        i++;
        break;
      default:
        break;
    }
  }
  if (!keyLengthWritten && (model.type === 'string' || model.type === 'binary')) model.keyLength = 32;
  return model;
}
