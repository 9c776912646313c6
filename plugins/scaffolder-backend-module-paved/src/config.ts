import { resolve } from 'node:path';
import type { Config } from '@backstage/config';

/** Settings of the offline git publisher, read from `scaffolder.localGit`. */
export interface LocalGitSettings {
  /** Absolute directory holding one sub-directory per published repository. */
  baseDir: string;
  defaultAuthor: { name: string; email: string };
}

export const DEFAULT_BASE_DIR = '.data/repositories';
export const DEFAULT_AUTHOR = {
  name: 'Paved Scaffolder',
  email: 'scaffolder@paved.local',
};

export function readLocalGitSettings(config: Config): LocalGitSettings {
  const local = config.getOptionalConfig('scaffolder.localGit');
  return {
    baseDir: resolve(local?.getOptionalString('baseDir') ?? DEFAULT_BASE_DIR),
    defaultAuthor: {
      name:
        local?.getOptionalString('defaultAuthor.name') ?? DEFAULT_AUTHOR.name,
      email:
        local?.getOptionalString('defaultAuthor.email') ?? DEFAULT_AUTHOR.email,
    },
  };
}
