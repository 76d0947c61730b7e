// The server's view of the configuration files: open documents (from the editor) and files on
// disk, grouped into the sets HAProxy loads together, each analysed by @haplo/parser and cached
// per document version. Features ask for an Analysis and never parse anything themselves.
// Diagnostics take a faster road: after an edit of a file loaded alone, only the section the
// edit touched is analysed again (IncrementalDocument), giving the same diagnostics as a full
// analysis; the full Analysis is then computed when a feature first asks for it.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkSources, defaultEnvironment, IncrementalDocument, type CheckResult, type ConfigFile, type Diagnostic, type Environment } from '@haplo/parser';
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_SETTINGS, type HaploSettings } from './settings.js';

export interface Analysis extends CheckResult {
  /** The file of the document the analysis was asked for. */
  file: ConfigFile;
  /** The documents' versions it was computed from, to know when it is stale. */
  versions: Map<string, number>;
  env: Environment;
}

export function uriToPath(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}

export function pathToUri(path: string): string {
  return isAbsolute(path) ? pathToFileURL(path).href : path;
}

export class Workspace {
  settings: HaploSettings = DEFAULT_SETTINGS;
  /** Workspace root folders, for resolving file sets. */
  roots: string[] = [];
  private readonly cache = new Map<string, Analysis>();
  /** Per open single-file document: its state for incremental re-analysis, and the version it holds. */
  private readonly incremental = new Map<string, { version: number; document: IncrementalDocument }>();

  constructor(readonly documents: TextDocuments<TextDocument>) {}

  /**
   * Applies the user's settings. Unchanged settings keep every analysis: VS Code's client sends
   * the settings section again right after the documents already open, which would otherwise
   * analyse each of them a second time (and hold up the requests queued behind).
   */
  setSettings(settings: Partial<HaploSettings> | undefined): void {
    const next = { ...DEFAULT_SETTINGS, ...(settings ?? {}) };
    if (JSON.stringify(next) === JSON.stringify(this.settings)) return;
    this.settings = next;
    this.cache.clear();
    this.incremental.clear();
  }

  environment(): Environment {
    const vars = this.settings.inheritEnv ? { ...process.env, ...this.settings.env } : { ...this.settings.env };
    return defaultEnvironment(vars);
  }

  /** The paths loaded together with `path`, in load order (just `path` when in no set). */
  fileSetOf(path: string): string[] {
    for (const set of this.settings.fileSets) {
      const paths = set.map((p) => (isAbsolute(p) ? p : resolve(this.roots[0] ?? process.cwd(), p)));
      if (paths.includes(path)) return paths;
    }
    return [path];
  }

  /** The text of a file: the editor's copy when open, else the disk's, else undefined. */
  text(path: string): string | undefined {
    const doc = this.documents.get(pathToUri(path));
    if (doc) return doc.getText();
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  }

  /** Analyses the set the document belongs to; cached until one of its documents changes. Never throws. */
  analysis(uri: string): Analysis | undefined {
    const path = uriToPath(uri);
    const set = this.fileSetOf(path);
    const versions = new Map<string, number>();
    for (const p of set) versions.set(p, this.documents.get(pathToUri(p))?.version ?? -1);
    const cached = this.cache.get(path);
    if (cached && sameVersions(cached.versions, versions)) return cached;
    const inputs = [];
    for (const p of set) {
      const text = this.text(p);
      if (text !== undefined) inputs.push({ path: p, text });
    }
    if (!inputs.some((i) => i.path === path)) return undefined;
    const env = this.environment();
    const options = { env, fileExists: (p: string) => existsSync(this.resolveConfigPath(p)), readFile: (p: string) => this.text(this.resolveConfigPath(p)) };
    let result: CheckResult;
    try {
      if (set.length === 1 && this.documents.get(pathToUri(path))) {
        // The same result as checkSources, plus what later edits need to be analysed in part.
        const full = IncrementalDocument.analyse(path, inputs[0]!.text, options);
        result = full.result;
        if (full.document) this.incremental.set(path, { version: versions.get(path)!, document: full.document });
        else this.incremental.delete(path);
      } else {
        result = checkSources(inputs, options);
      }
    } catch {
      return cached;
    }
    const file = result.files.find((f) => f.path === path)!;
    const analysis: Analysis = { ...result, file, versions, env };
    for (const p of set) this.cache.set(p, analysis);
    return analysis;
  }

  /**
   * The diagnostics of the set the document belongs to, by file path: after an edit of an open
   * file loaded alone, from the section the edit touched when possible, else from analysis().
   * Never throws.
   */
  diagnostics(uri: string): Map<string, Diagnostic[]> | undefined {
    const path = uriToPath(uri);
    const doc = this.documents.get(uri);
    const state = this.incremental.get(path);
    const cached = this.cache.get(path);
    if (doc && state && !(cached && cached.versions.get(path) === doc.version) && this.fileSetOf(path).length === 1) {
      // Asked again for the text it already holds (diagnostics published anew): nothing to analyse.
      if (state.version === doc.version) return new Map([[path, state.document.diagnostics]]);
      let diagnostics: Diagnostic[] | undefined;
      try {
        diagnostics = state.document.update(doc.getText());
      } catch {
        diagnostics = undefined;
      }
      if (diagnostics) {
        state.version = doc.version;
        return new Map([[path, diagnostics]]);
      }
      this.incremental.delete(path);
    }
    const analysis = this.analysis(uri);
    if (!analysis) return undefined;
    const byFile = new Map<string, Diagnostic[]>(analysis.files.map((f) => [f.path, []]));
    for (const d of analysis.diagnostics) byFile.get(d.file)?.push(d);
    return byFile;
  }

  /** Files named in a config resolve against the workspace root, as HAProxy resolves against its cwd. */
  resolveConfigPath(p: string): string {
    return isAbsolute(p) ? p : resolve(this.roots[0] ?? process.cwd(), p);
  }

  forget(uri: string): void {
    this.cache.delete(uriToPath(uri));
    this.incremental.delete(uriToPath(uri));
  }
}

function sameVersions(a: Map<string, number>, b: Map<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}
