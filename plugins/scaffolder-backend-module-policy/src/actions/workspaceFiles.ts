import { promises as fs } from 'node:fs';
import { isAbsolute } from 'node:path';
import fastGlob from 'fast-glob';
import { parseAllDocuments } from 'yaml';
import { Entity } from '@backstage/catalog-model';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';

/** Files `policy:check` reads when the step names none. @public */
export const DEFAULT_POLICY_CHECK_FILES = [
  'catalog-info.yaml',
  'k8s/**/*.{yaml,yml}',
  'kubernetes/**/*.{yaml,yml}',
  'deploy/**/*.{yaml,yml}',
];

/** A Kubernetes object as written in a manifest file. */
export interface KubernetesManifest {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** A YAML document found in the workspace, with the file it came from. */
export interface Located<T> {
  /** Path relative to the workspace, POSIX separators. */
  file: string;
  value: T;
}

/** What the generated files contain, split by kind of document. */
export interface WorkspaceDocuments {
  files: string[];
  entities: Located<Entity>[];
  manifests: Located<KubernetesManifest>[];
  /** Documents that are neither, as readable notes for the task log. */
  skipped: string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// `..` as a whole path segment, also inside brace alternatives such as {..,a}.
const PARENT_SEGMENT = /(^|[/\\{,])\.\.($|[/\\},])/;

/**
 * Rejects patterns that could reach outside the workspace. Matches are
 * checked again after globbing (symbolic links), see {@link readWorkspaceDocuments}.
 */
export function assertWorkspacePattern(pattern: string): void {
  if (!pattern.trim())
    throw new InputError('policy:check: a file pattern is empty');
  if (
    isAbsolute(pattern) ||
    /^[A-Za-z]:/.test(pattern) ||
    pattern.startsWith('~') ||
    pattern.startsWith('\\')
  ) {
    throw new InputError(
      `policy:check: file pattern "${pattern}" is absolute; give a path relative to the workspace`,
    );
  }
  if (PARENT_SEGMENT.test(pattern)) {
    throw new InputError(
      `policy:check: file pattern "${pattern}" leaves the workspace (..)`,
    );
  }
}

/**
 * Finds the files matching the patterns in the workspace and parses every
 * YAML document in them: `backstage.io/*` documents are catalog entities,
 * other documents with apiVersion and kind are Kubernetes objects.
 */
export async function readWorkspaceDocuments(
  workspacePath: string,
  patterns: string[],
): Promise<WorkspaceDocuments> {
  patterns.forEach(assertWorkspacePattern);
  // Symbolic links are listed, not followed, so each one is checked below.
  const matches = (
    await fastGlob(patterns, {
      cwd: workspacePath,
      onlyFiles: false,
      followSymbolicLinks: false,
      unique: true,
    })
  ).sort();
  const result: WorkspaceDocuments = {
    files: [],
    entities: [],
    manifests: [],
    skipped: [],
  };
  for (const file of matches) {
    let path: string;
    try {
      path = resolveSafeChildPath(workspacePath, file);
    } catch {
      // A symbolic link pointing out of the workspace.
      throw new InputError(
        `policy:check: ${file} resolves to a path outside the workspace`,
      );
    }
    if (!(await fs.stat(path)).isFile()) continue;
    result.files.push(file);
    const documents = parseAllDocuments(await fs.readFile(path, 'utf8'));
    for (const [index, document] of documents.entries()) {
      const where =
        documents.length > 1 ? `${file} (document ${index + 1})` : file;
      if (document.errors.length) {
        throw new InputError(
          `policy:check: ${where} is not valid YAML: ${document.errors[0].message}`,
        );
      }
      const value = document.toJS();
      if (value === null || value === undefined) continue;
      if (
        !isRecord(value) ||
        typeof value.apiVersion !== 'string' ||
        typeof value.kind !== 'string'
      ) {
        result.skipped.push(
          `${where}: neither a catalog entity nor a Kubernetes object (no apiVersion and kind)`,
        );
        continue;
      }
      if (value.apiVersion.startsWith('backstage.io/')) {
        result.entities.push({ file, value: value as unknown as Entity });
      } else {
        result.manifests.push({ file, value: value as KubernetesManifest });
      }
    }
  }
  return result;
}
