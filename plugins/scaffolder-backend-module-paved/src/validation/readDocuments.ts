import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Finding } from './findings';

export interface ParsedDocument {
  file: string;
  object: unknown;
}

/** Parses every YAML document of a file; syntax errors become findings. */
export async function readYamlDocuments(
  root: string,
  absoluteFile: string,
): Promise<{ documents: ParsedDocument[]; findings: Finding[] }> {
  const file = relative(root, absoluteFile);
  const documents: ParsedDocument[] = [];
  const findings: Finding[] = [];
  let text: string;
  try {
    text = await readFile(absoluteFile, 'utf8');
  } catch (error) {
    return {
      documents,
      findings: [
        { file, message: `cannot be read: ${(error as Error).message}` },
      ],
    };
  }
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      findings.push({
        file,
        message: `invalid YAML: ${doc.errors[0].message}`,
      });
      continue;
    }
    const object = doc.toJS();
    if (object !== null && object !== undefined)
      documents.push({ file, object });
  }
  return { documents, findings };
}

/** YAML files in a directory tree, sorted for stable reports. */
export async function listYamlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter(e => e.isFile() && /\.ya?ml$/.test(e.name))
    .map(e => join(e.parentPath, e.name))
    .sort();
}
