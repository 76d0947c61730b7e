// What the user configures for the server (workspace configuration section `haplo`).
export interface HaploSettings {
  /** Environment variables for `.if` and `${VAR}`; merged over the server's process environment when `inheritEnv`. */
  env: Record<string, string>;
  inheritEnv: boolean;
  /**
   * Sets of files HAProxy loads together, in load order (paths or globs relative to the
   * workspace root). A file in no set is analysed alone.
   */
  fileSets: string[][];
  /** HAProxy version the checks target (only 2.6 is catalogued today). */
  targetVersion: string;
}

export const DEFAULT_SETTINGS: HaploSettings = { env: {}, inheritEnv: true, fileSets: [], targetVersion: '2.6' };
