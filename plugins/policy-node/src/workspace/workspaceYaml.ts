import { promises as fs } from 'node:fs';
import { isAbsolute, posix } from 'node:path';
import fastGlob from 'fast-glob';
import { LineCounter, parseAllDocuments } from 'yaml';
import { entitySchemaValidator, type Entity } from '@backstage/catalog-model';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError, isError, toError } from '@backstage/errors';

/** A Kubernetes object as written in a manifest file. @public */
export interface KubernetesManifest {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** A YAML document of a workspace file, with where it is. @public */
export interface Located<T> {
  /** Path relative to the workspace, POSIX separators. */
  file: string;
  /** 1-based line on which the document's content starts. */
  line: number;
  /** 1-based position of the document in its file. */
  document: number;
  /** How many non-empty documents the file has. */
  documentsInFile: number;
  value: T;
}

/** A document that is not what its apiVersion and kind say, or neither kind. @public */
export type LocatedNote = Located<unknown> & { reason: string };

/** A file that could not be read or parsed. @public */
export interface WorkspaceFileProblem {
  file: string;
  kind: 'invalid-yaml' | 'too-large' | 'unreadable';
  /** 1-based line and column of a YAML error. */
  line?: number;
  column?: number;
  /** 1-based document of a YAML error, and the line it starts on, when the file has several. */
  document?: number;
  documentLine?: number;
  /** What is wrong, without the file name. */
  detail: string;
}

/** What {@link readWorkspaceYaml} found. @public */
export interface WorkspaceYaml {
  /** Files read, sorted. */
  files: string[];
  /** Every non-empty document of the files read, in file order. */
  documents: Located<unknown>[];
  /** Documents with apiVersion `backstage.io/*` that are valid catalog entities. */
  entities: Located<Entity>[];
  /** Other documents with apiVersion and kind. */
  manifests: Located<KubernetesManifest>[];
  /** Documents that claim to be an entity or an object but are not well formed. */
  malformed: LocatedNote[];
  /** Documents that are neither (no apiVersion and kind): values files, configuration. */
  others: LocatedNote[];
  /** Files that could not be read or parsed, or are over a size limit. */
  problems: WorkspaceFileProblem[];
  /** `paths` that do not exist. */
  missing: string[];
}

/** Options of {@link readWorkspaceYaml}. @public */
export interface ReadWorkspaceYamlOptions {
  /** Globs relative to the workspace (fast-glob syntax). Hidden files are matched only when named. */
  patterns?: string[];
  /** Paths relative to the workspace, taken literally: a file, or a directory whose `.yaml`/`.yml` files below it are read. */
  paths?: string[];
  /** Globs never read. Default {@link DEFAULT_WORKSPACE_IGNORE}. */
  ignore?: string[];
  /** Largest file read, in bytes. Default {@link DEFAULT_MAX_YAML_FILE_BYTES}. */
  maxFileBytes?: number;
  /** Most bytes read in all; files after the limit are reported, not read. Default {@link DEFAULT_MAX_YAML_TOTAL_BYTES}. */
  maxTotalBytes?: number;
}

/** Folders never read: dependencies and git's own files. @public */
export const DEFAULT_WORKSPACE_IGNORE = ['**/node_modules/**', '**/.git/**'];
/** 1 MiB: a generated manifest or catalog file is a few kilobytes. @public */
export const DEFAULT_MAX_YAML_FILE_BYTES = 1024 * 1024;
/** 16 MiB in all. @public */
export const DEFAULT_MAX_YAML_TOTAL_BYTES = 16 * 1024 * 1024;

const YAML_FILES_BELOW = '**/*.{yaml,yml}';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// `..` as a whole path segment, also inside brace alternatives such as {..,a}.
const PARENT_SEGMENT = /(^|[/\\{,])\.\.($|[/\\},])/;

/**
 * Rejects a pattern or path that could reach outside the workspace: empty,
 * absolute, home-relative or with a `..` segment. Matches are checked again
 * after globbing (symbolic links), see {@link readWorkspaceYaml}.
 * @public
 */
export function assertWorkspacePattern(pattern: string): void {
  if (!pattern.trim()) throw new InputError('a file pattern is empty');
  if (
    isAbsolute(pattern) ||
    /^[A-Za-z]:/.test(pattern) ||
    pattern.startsWith('~') ||
    pattern.startsWith('\\')
  ) {
    throw new InputError(
      `"${pattern}" is absolute; give a path relative to the workspace`,
    );
  }
  if (PARENT_SEGMENT.test(pattern)) {
    throw new InputError(
      `"${pattern}" leaves the workspace (..); files outside the workspace are never read`,
    );
  }
}

/** Resolves a workspace-relative path, refusing one whose real path (symbolic links followed) is outside. */
function safePath(workspacePath: string, file: string): string {
  try {
    return resolveSafeChildPath(workspacePath, file);
  } catch {
    throw new InputError(`${file} resolves to a path outside the workspace`);
  }
}

async function statOrUndefined(path: string) {
  try {
    return await fs.stat(path);
  } catch (error) {
    if (isError(error) && error.code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Reads the YAML files of a scaffolder workspace: the files matching
 * `patterns` and the files or directories named in `paths`, skipping
 * `ignore` (node_modules, .git). Every document is parsed and kept with its
 * file and line; empty documents are dropped. Documents with apiVersion
 * `backstage.io/*` are catalog entities (validated against the catalog's
 * entity schema, so a malformed one is reported, never passed on as an
 * `Entity`), other documents with apiVersion and kind are Kubernetes objects.
 *
 * A pattern or path reaching outside the workspace, or a match whose real
 * path is outside it (a symbolic link), throws an `InputError`: nothing is
 * read. Unreadable files, YAML errors (with the line and column of the
 * error) and files over the size limits are returned as `problems`.
 * @public
 */
export async function readWorkspaceYaml(
  workspacePath: string,
  options: ReadWorkspaceYamlOptions,
): Promise<WorkspaceYaml> {
  const patterns = options.patterns ?? [];
  const paths = options.paths ?? [];
  [...patterns, ...paths].forEach(assertWorkspacePattern);
  const ignore = options.ignore ?? DEFAULT_WORKSPACE_IGNORE;
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_YAML_FILE_BYTES;
  const maxTotalBytes = options.maxTotalBytes ?? DEFAULT_MAX_YAML_TOTAL_BYTES;
  // Symbolic links are listed, not followed, so each one is checked below.
  const glob = (globs: string[], cwd: string) =>
    fastGlob(globs, {
      cwd,
      ignore,
      onlyFiles: false,
      followSymbolicLinks: false,
      unique: true,
    });

  const result: WorkspaceYaml = {
    files: [],
    documents: [],
    entities: [],
    manifests: [],
    malformed: [],
    others: [],
    problems: [],
    missing: [],
  };
  const candidates = new Set<string>(
    patterns.length ? await glob(patterns, workspacePath) : [],
  );
  for (const path of paths) {
    const relative = posix
      .normalize(path.replace(/\\/g, '/'))
      .replace(/(.)\/+$/, '$1');
    const stat = await statOrUndefined(safePath(workspacePath, relative));
    if (!stat) result.missing.push(path);
    else if (!stat.isDirectory()) candidates.add(relative);
    else {
      const below = await glob(
        [YAML_FILES_BELOW],
        safePath(workspacePath, relative),
      );
      for (const file of below) candidates.add(posix.join(relative, file));
    }
  }

  let totalBytes = 0;
  for (const file of [...candidates].sort()) {
    const path = safePath(workspacePath, file);
    const stat = await fs.stat(path);
    if (!stat.isFile()) continue;
    if (stat.size > maxFileBytes) {
      result.problems.push({
        file,
        kind: 'too-large',
        detail: `${stat.size} bytes, over the limit of ${maxFileBytes} bytes per file`,
      });
      continue;
    }
    if (totalBytes + stat.size > maxTotalBytes) {
      result.problems.push({
        file,
        kind: 'too-large',
        detail: `not read: the files before it already hold ${totalBytes} bytes, and ${maxTotalBytes} bytes are read in all`,
      });
      continue;
    }
    totalBytes += stat.size;
    let text: string;
    try {
      text = await fs.readFile(path, 'utf8');
    } catch (error) {
      result.problems.push({
        file,
        kind: 'unreadable',
        detail: toError(error).message,
      });
      continue;
    }
    result.files.push(file);
    readDocuments(file, text, result);
  }
  return result;
}

const validateEntity = entitySchemaValidator();

function readDocuments(file: string, text: string, result: WorkspaceYaml) {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const several = parsed.length > 1;
  const located: Array<Omit<Located<unknown>, 'documentsInFile'>> = [];
  for (const [index, document] of parsed.entries()) {
    const start = document.contents?.range[0] ?? document.range[0];
    const line = lineCounter.linePos(start).line;
    const error = document.errors[0];
    if (error) {
      const at = lineCounter.linePos(error.pos[0]);
      result.problems.push({
        file,
        kind: 'invalid-yaml',
        line: at.line,
        column: at.col,
        ...(several ? { document: index + 1, documentLine: line } : {}),
        detail: error.message,
      });
      continue;
    }
    let value: unknown;
    try {
      value = document.toJS();
    } catch (cause) {
      // For example more aliases than toJS allows (an entity-expansion bomb).
      result.problems.push({
        file,
        kind: 'invalid-yaml',
        line,
        column: 1,
        ...(several ? { document: index + 1, documentLine: line } : {}),
        detail: toError(cause).message,
      });
      continue;
    }
    if (value === null || value === undefined) continue;
    located.push({ file, line, document: index + 1, value });
  }
  for (const doc of located) {
    const entry = { ...doc, documentsInFile: located.length };
    result.documents.push(entry);
    classify(entry, result);
  }
}

function classify(doc: Located<unknown>, result: WorkspaceYaml) {
  const { value } = doc;
  if (
    !isRecord(value) ||
    typeof value.apiVersion !== 'string' ||
    typeof value.kind !== 'string'
  ) {
    result.others.push({
      ...doc,
      reason: `neither a catalog entity nor a Kubernetes object (${
        isRecord(value) ? 'no apiVersion and kind' : 'not a mapping'
      })`,
    });
    return;
  }
  if (value.apiVersion.startsWith('backstage.io/')) {
    try {
      result.entities.push({ ...doc, value: validateEntity(value) });
    } catch (error) {
      result.malformed.push({
        ...doc,
        reason: `${value.kind} is not a valid catalog entity: ${
          toError(error).message
        }`,
      });
    }
    return;
  }
  const problem = manifestProblem(value);
  if (problem) {
    result.malformed.push({ ...doc, reason: `${value.kind} ${problem}` });
    return;
  }
  if (isKubernetesManifest(value)) result.manifests.push({ ...doc, value });
}

function manifestProblem(value: Record<string, unknown>): string | undefined {
  const { metadata } = value;
  if (metadata === undefined) return undefined;
  if (!isRecord(metadata)) return 'has a metadata that is not a mapping';
  for (const field of ['name', 'namespace'] as const) {
    const v = metadata[field];
    if (v !== undefined && typeof v !== 'string')
      return `has a metadata.${field} that is not a string`;
  }
  return undefined;
}

/**
 * Whether a value is a {@link KubernetesManifest}: a mapping with string
 * apiVersion and kind, and a metadata mapping (if any) whose name and
 * namespace (if any) are strings.
 * @public
 */
export function isKubernetesManifest(
  value: unknown,
): value is KubernetesManifest {
  return (
    isRecord(value) &&
    typeof value.apiVersion === 'string' &&
    typeof value.kind === 'string' &&
    manifestProblem(value) === undefined
  );
}

/**
 * Where a document is, for messages: the file, plus document number and
 * line when the file has several documents.
 * @public
 */
export function describeLocation(doc: Located<unknown>): string {
  return doc.documentsInFile > 1
    ? `${doc.file} (document ${doc.document}, line ${doc.line})`
    : doc.file;
}

/**
 * A problem as one sentence, starting with the file, e.g.
 * `k8s/app.yaml is not valid YAML at line 4, column 3: ...`.
 * @public
 */
export function describeWorkspaceProblem(problem: WorkspaceFileProblem) {
  switch (problem.kind) {
    case 'invalid-yaml':
      return `${problem.file} is not valid YAML at ${yamlErrorPosition(
        problem,
      )}: ${problem.detail}`;
    case 'too-large':
      return `${problem.file} is too large: ${problem.detail}`;
    default:
      return `${problem.file} cannot be read: ${problem.detail}`;
  }
}

/** `line 14, column 3`, and `(document 2, from line 9)` when the file has several. @public */
export function yamlErrorPosition(problem: WorkspaceFileProblem): string {
  return `line ${problem.line}, column ${problem.column}${
    problem.document
      ? ` (document ${problem.document}, from line ${problem.documentLine})`
      : ''
  }`;
}
