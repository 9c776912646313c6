import fs from 'node:fs';
import {
  cp,
  mkdir,
  mkdtemp,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  resolveSafeChildPath,
  type LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import { stringifyEntityRef } from '@backstage/catalog-model';
import git from 'isomorphic-git';
import { parseAllDocuments, stringify as stringifyYaml } from 'yaml';
import {
  assertValidBranchName,
  assertValidRepositoryName,
} from './repositoryName';
import type { CommitAuthor } from './commitAuthor';

/** Prefix of the staging directories; hidden, so the catalog glob skips them. */
const STAGING_PREFIX = '.staging-';
/** File the catalog reads (see {@link ensureCatalogLocationFile}). */
export const CATALOG_LOCATION_FILE = 'locations.yaml';
/** Name of the Location entity in {@link CATALOG_LOCATION_FILE}. */
export const CATALOG_LOCATION_NAME = 'paved-local-git-repositories';

export interface PublishRequest {
  /** Directory whose files become the first commit. */
  sourceDir: string;
  repoName: string;
  branch: string;
  message: string;
  author: CommitAuthor;
}

export interface PublishedRepository {
  /** Absolute path of the repository; `git clone <path>` works. */
  path: string;
  branch: string;
  commitHash: string;
  /** Ref of the first entity in the repository's catalog-info.yaml, if any. */
  entityRef?: string;
}

/**
 * Publishes directories as git repositories under one base directory.
 * A repository is built in a hidden staging directory next to its final
 * place and renamed into place in one step, so a failure leaves nothing
 * and the catalog never sees a half-written repository.
 */
export class LocalRepositoryPublisher {
  private readonly baseDir: string;
  private readonly logger?: LoggerService;

  constructor(options: { baseDir: string; logger?: LoggerService }) {
    this.baseDir = options.baseDir;
    this.logger = options.logger;
  }

  /** Where a repository of this name lives; throws on invalid names or traversal. */
  repositoryPath(repoName: string): string {
    assertValidRepositoryName(repoName);
    return resolveSafeChildPath(this.baseDir, repoName);
  }

  /** Checks the request without writing anything (for dry runs and early failure). */
  async check(
    request: Pick<PublishRequest, 'repoName' | 'branch'>,
  ): Promise<string> {
    const target = this.repositoryPath(request.repoName);
    assertValidBranchName(request.branch);
    if (await exists(target)) {
      throw new ConflictError(
        `Repository '${request.repoName}' already exists at ${target}; choose another name`,
      );
    }
    return target;
  }

  async publish(request: PublishRequest): Promise<PublishedRepository> {
    const target = await this.check(request);
    await mkdir(this.baseDir, { recursive: true });
    const staging = await mkdtemp(
      join(this.baseDir, `${STAGING_PREFIX}${request.repoName}-`),
    );
    try {
      // The workspace may carry a .git of its own (fetch:plain of a repo);
      // the published history starts fresh.
      await cp(request.sourceDir, staging, {
        recursive: true,
        filter: source => basename(source) !== '.git',
      });
      await git.init({ fs, dir: staging, defaultBranch: request.branch });
      await git.add({ fs, dir: staging, filepath: '.' });
      const commitHash = await git.commit({
        fs,
        dir: staging,
        message: request.message,
        author: request.author,
        committer: request.author,
      });
      const entityRef = await firstEntityRef(
        join(staging, 'catalog-info.yaml'),
      );
      await moveIntoPlace(staging, target, request.repoName);
      this.logger?.info(
        `Published ${request.repoName} to ${target} (${commitHash})`,
      );
      return { path: target, branch: request.branch, commitHash, entityRef };
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
  }
}

async function moveIntoPlace(
  staging: string,
  target: string,
  repoName: string,
) {
  try {
    await rename(staging, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR') {
      throw new ConflictError(
        `Repository '${repoName}' was created by someone else meanwhile`,
      );
    }
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

export async function firstEntityRef(
  catalogInfoFile: string,
): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(catalogInfoFile, 'utf8');
  } catch {
    return undefined;
  }
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      throw new InputError(
        `catalog-info.yaml is not valid YAML: ${doc.errors[0].message}`,
      );
    }
    const entity = doc.toJS();
    if (entity?.kind && entity?.metadata?.name) {
      return stringifyEntityRef({
        kind: String(entity.kind),
        namespace: entity.metadata.namespace,
        name: String(entity.metadata.name),
      });
    }
  }
  return undefined;
}

/**
 * Writes the Location the catalog reads published repositories through:
 * an optional glob over `<baseDir>/<repo>/catalog-info.yaml`, so an empty
 * directory is not a processing error. Register `<baseDir>/locations.yaml`
 * as a file location in `catalog.locations`.
 */
export async function ensureCatalogLocationFile(
  baseDir: string,
): Promise<string> {
  await mkdir(baseDir, { recursive: true });
  const file = join(baseDir, CATALOG_LOCATION_FILE);
  const location = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Location',
    metadata: {
      name: CATALOG_LOCATION_NAME,
      description: 'Repositories published by publish:local-git',
    },
    spec: {
      type: 'file',
      presence: 'optional',
      targets: ['./*/catalog-info.yaml'],
    },
  };
  const content = `# Written by @paved/plugin-scaffolder-backend-module-paved at start-up.\n${stringifyYaml(
    location,
  )}`;
  const current = await readFile(file, 'utf8').catch(() => undefined);
  if (current !== content) {
    await writeFile(file, content);
  }
  return file;
}
