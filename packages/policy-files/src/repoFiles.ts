import { readdirSync, readFileSync } from 'fs';
import { join, relative, sep } from 'path';
import { SourceFiles } from './regoChecks';

/**
 * Every file under the given folders (relative to root) whose name ends with
 * one of the extensions, keyed by its POSIX path relative to root.
 * @public
 */
export function readSourceFiles(
  root: string,
  folders: string[],
  extensions: string[],
): SourceFiles {
  const files: SourceFiles = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (extensions.some(ext => entry.name.endsWith(ext))) {
        files[relative(root, path).split(sep).join('/')] = readFileSync(
          path,
          'utf8',
        );
      }
    }
  };
  for (const folder of folders) walk(join(root, folder));
  return files;
}
