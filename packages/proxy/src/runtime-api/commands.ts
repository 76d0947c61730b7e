// The runtime API commands haplo answers, as a table: the words that name a command, its line
// in `help` (HAProxy 2.6's wording), the level it needs, and what it does on the current
// generation. Unknown commands get HAProxy's "Unknown command" answer followed by the help.
import { renderCsv } from '../stats/csv.js';
import { statRows } from '../stats/rows.js';
import type { StatsSource } from '../stats/sources.js';
import { showInfo } from './info.js';
import { addMap, delMap, setMap, showMap } from './maps.js';
import { getWeight, setServer, setWeightCommand, showServersState, toggleServer } from './servers.js';
import { clearTable, showTable } from './tables.js';

export type CliLevel = 'user' | 'operator' | 'admin';
const RANK: Record<CliLevel, number> = { user: 0, operator: 1, admin: 2 };

/** What a command runs against: the generation new connections use. */
export interface CommandContext {
  source: StatsSource;
  processStartedAt: number;
  currentConnections(): number;
}

interface Command {
  words: string[];
  help: string;
  level: CliLevel;
  run(cx: CommandContext, args: string[]): string;
}

const COMMANDS: Command[] = [
  { words: ['add', 'map'], level: 'operator', help: 'add map [@<ver>] <map> <key> <val>      : add a map entry (payload supported instead of key/val)', run: (cx, a) => addMap(cx.source.pipeline, cx.source.runtime, a) },
  { words: ['clear', 'table'], level: 'operator', help: 'clear table <table> [<filter>]*         : remove an entry from a table (filter: data/key)', run: (cx, a) => clearTable(cx.source.runtime, a[0], a.slice(1)) },
  { words: ['del', 'map'], level: 'operator', help: 'del map <map> [<key>|#<ref>]            : delete map entries matching <key>', run: (cx, a) => delMap(cx.source.pipeline, cx.source.runtime, a) },
  { words: ['disable', 'server'], level: 'admin', help: 'disable server (DEPRECATED)             : disable a server for maintenance (use \'set server\' instead)', run: (cx, a) => toggleServer(cx.source, a, false) },
  { words: ['enable', 'server'], level: 'admin', help: 'enable server  (DEPRECATED)             : enable a disabled server (use \'set server\' instead)', run: (cx, a) => toggleServer(cx.source, a, true) },
  { words: ['get', 'weight'], level: 'user', help: 'get weight <bk>/<srv>                   : report a server\'s current weight', run: (cx, a) => getWeight(cx.source, a) },
  { words: ['set', 'map'], level: 'operator', help: 'set map <map> [<key>|#<ref>] <value>    : modify a map entry', run: (cx, a) => setMap(cx.source.pipeline, cx.source.runtime, a) },
  { words: ['set', 'server'], level: 'admin', help: 'set server <bk>/<srv> [opts]            : change a server\'s state, weight, address or ssl', run: (cx, a) => setServer(cx.source, a) },
  { words: ['set', 'weight'], level: 'admin', help: 'set weight <bk>/<srv>  (DEPRECATED)     : change a server\'s weight (use \'set server\' instead)', run: (cx, a) => setWeightCommand(cx.source, a) },
  { words: ['show', 'info'], level: 'user', help: 'show info [desc|json|typed|float]*      : report information about the running process', run: (cx) => showInfo(cx.source, cx.processStartedAt, cx.currentConnections()) },
  { words: ['show', 'map'], level: 'operator', help: 'show map [@ver] [map]                   : report available maps or dump a map\'s contents', run: (cx, a) => showMap(cx.source.pipeline, cx.source.runtime, a[0]) },
  { words: ['show', 'servers', 'state'], level: 'user', help: 'show servers state [<backend>]          : dump volatile server information (all or for a single backend)', run: (cx, a) => showServersState(cx.source, a[0]) },
  { words: ['show', 'stat'], level: 'user', help: 'show stat [desc|json|no-maint|typed|up]*: report counters for each proxy and server', run: (cx) => renderCsv(statRows(cx.source)) },
  { words: ['show', 'table'], level: 'user', help: 'show table <table> [<filter>]*          : report table usage stats or dump this table\'s contents (filter: data/key)', run: (cx, a) => showTable(cx.source.runtime, a[0]) },
];

/** The lines `help` always ends with (the CLI's own commands). */
const TRAILER = [
  'help [<command>]                        : list matching or all commands',
  'prompt                                  : toggle interactive mode with prompt',
  'quit                                    : disconnect',
];

export function helpText(level: CliLevel, intro = 'The following commands are valid at this level:'): string {
  const lines = COMMANDS.filter((c) => RANK[c.level] <= RANK[level]).map((c) => c.help);
  return `${intro}\n${[...lines, ...TRAILER].map((l) => `  ${l}\n`).join('')}\n`;
}

/** Splits a command line into words (HAProxy's CLI: spaces separate, backslash escapes). */
export function commandWords(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let has = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\\' && i + 1 < line.length) {
      cur += line[++i];
      has = true;
    } else if (ch === ' ' || ch === '\t') {
      if (has) words.push(cur);
      cur = '';
      has = false;
    } else {
      cur += ch;
      has = true;
    }
  }
  if (has) words.push(cur);
  return words;
}

/** Runs one command (no `;` inside); the text to send back. */
export function runCommand(cx: CommandContext, words: string[], level: CliLevel): string {
  if (words[0] === 'help') return helpText(level);
  const cmd = COMMANDS.find((c) => c.words.every((w, i) => words[i] === w));
  if (!cmd) return helpText(level, 'Unknown command, but maybe one of the following ones is a better match:');
  if (RANK[cmd.level] > RANK[level]) return 'Permission denied\n\n';
  const out = cmd.run(cx, words.slice(cmd.words.length));
  // HAProxy ends every answer with an empty line; messages that are one line get it added.
  return out.endsWith('\n\n') || out === '\n' ? out : `${out}\n`;
}
