/** Builds the sources `discover` runs from the configuration's base URLs. */
import { githubSource } from './github.ts';
import { mcpRegistrySource } from './mcp-registry.ts';
import { npmSource } from './npm.ts';
import { pypiSource } from './pypi.ts';
import { SOURCE_NAMES, type SourceName } from '../../records/index.ts';
import { type Source } from './types.ts';

export interface SourceSettings {
  mcpRegistryUrl: string;
  npmRegistryUrl: string;
  pypiUrl: string;
  githubApiUrl: string;
  /** `GITHUB_TOKEN`, optional. */
  githubToken?: string;
  /** npm names file: listed instead of searching npm. */
  namesFile?: string;
}

/** The sources named (all four when `names` is empty), in the order of {@link SOURCE_NAMES}. */
export function createSources(settings: SourceSettings, names: readonly SourceName[] = []): Source[] {
  const wanted = names.length ? SOURCE_NAMES.filter((n) => names.includes(n)) : SOURCE_NAMES;
  return wanted.map((name) => {
    switch (name) {
      case 'mcp-registry':
        return mcpRegistrySource({ baseUrl: settings.mcpRegistryUrl });
      case 'npm':
        return npmSource({ baseUrl: settings.npmRegistryUrl, namesFile: settings.namesFile });
      case 'pypi':
        return pypiSource({ baseUrl: settings.pypiUrl });
      case 'github':
        return githubSource({ baseUrl: settings.githubApiUrl, token: settings.githubToken });
    }
  });
}
