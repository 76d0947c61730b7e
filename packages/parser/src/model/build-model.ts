// Files → Model: proxies with their inherited settings, named sections, the global section, and
// a symbol table in which every reference is resolved. Two linear passes: declarations (and
// proxies, which only look backwards), then references (which may point anywhere). Never throws
// on user input: odd statements just leave fields undefined.
import type { ConfigFile, Section, SectionKind } from '../ast/nodes.js';
import { declareNamedSection, NAMED_SECTION_KINDS, type UserlistIndex } from './named-sections.js';
import { ProxyBuilder } from './proxies.js';
import { ReferenceCollector } from './references.js';
import { StatementProxies } from './statement-proxies.js';
import { createSymbolTable } from './symbols.js';
import type { GlobalModel, Model, ProxyModel } from './types.js';

export function buildModel(files: ConfigFile[]): Model {
  const symbols = createSymbolTable();
  const sections: Section[] = [];
  const global: GlobalModel = { statements: [], masterWorker: false, env: new Map() };
  const namedSections = new Map<SectionKind, Section[]>();
  const userlists = new Map<Section, UserlistIndex>();
  const builder = new ProxyBuilder(symbols);
  /** The proxy of each entry of `sections` (undefined for other sections). */
  const sectionProxies: (ProxyModel | undefined)[] = [];

  for (const file of files) {
    for (const section of file.sections) {
      sections.push(section);
      switch (section.kind) {
        case 'defaults':
        case 'frontend':
        case 'backend':
        case 'listen':
          sectionProxies.push(builder.build(section));
          break;
        case 'global':
          sectionProxies.push(undefined);
          readGlobal(section, global);
          break;
        default:
          sectionProxies.push(undefined);
          if (NAMED_SECTION_KINDS.has(section.kind)) {
            const list = namedSections.get(section.kind);
            if (list) list.push(section);
            else namedSections.set(section.kind, [section]);
            declareNamedSection(section, symbols, userlists);
          }
          break;
      }
    }
  }

  const refs = new ReferenceCollector({ symbols, proxyIndex: builder.index, userlists, files });
  for (let i = 0; i < sections.length; i++) refs.collectSection(sections[i]!, sectionProxies[i]);

  return {
    files,
    sections,
    global,
    defaults: builder.defaults,
    proxies: builder.proxies,
    namedSections,
    symbols,
    proxyOf: new StatementProxies(builder.inLoadOrder),
  };
}

function readGlobal(section: Section, global: GlobalModel): void {
  for (const stmt of section.statements) {
    global.statements.push(stmt);
    const head = stmt.keywordWords[0]?.value;
    if (head === 'master-worker') global.masterWorker = stmt.modifier?.value !== 'no';
    else if ((head === 'setenv' || head === 'presetenv') && stmt.args[0]) {
      const name = stmt.args[0].value;
      // presetenv does not override a variable that is already set.
      if (head === 'setenv' || !global.env.has(name)) global.env.set(name, { value: stmt.args[1]?.value ?? '', statement: stmt });
    }
  }
}
