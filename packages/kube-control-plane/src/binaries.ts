import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

/** Where the two binaries were found. */
export interface ControlPlaneBinaries {
  apiserver: string;
  etcd: string;
}

const HOW_TO_BUILD =
  '`./platform test` builds both (ensure_kube_control_plane in scripts/toolchain/toolchain.sh, ' +
  'versions pinned in scripts/toolchain/versions.env) into the per-user cache and sets ' +
  'PAVED_KUBE_APISERVER_BIN and PAVED_ETCD_BIN';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && executable(join(dir, name))) {
      return join(dir, name);
    }
  }
  return undefined;
}

/** `KEY=value` pins of the nearest scripts/toolchain/versions.env at or above `from`. */
function pins(from: string): Record<string, string> {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'scripts/toolchain/versions.env');
    if (existsSync(file)) {
      const out: Record<string, string> = {};
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        const m = /^([A-Z0-9_]+)=(\S*)\s*$/.exec(line);
        if (m) {
          out[m[1]] = m[2];
        }
      }
      return out;
    }
    if (dirname(dir) === dir) {
      return {};
    }
  }
}

/** The binary ./platform builds for the pinned version, if it is there. */
function inCache(tool: string, version: string | undefined) {
  if (!version) {
    return undefined;
  }
  const cache =
    process.env.PAVED_CACHE ||
    join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'paved');
  const bin = join(cache, tool, version, 'bin', tool);
  return executable(bin) ? bin : undefined;
}

function find(
  tool: string,
  envVar: string,
  explicit: string | undefined,
  version: string | undefined,
): string {
  const path = explicit ?? process.env[envVar];
  if (path) {
    if (!executable(path)) {
      throw new Error(
        `${tool}: ${path} (${
          explicit ? 'option' : envVar
        }) is not an executable file. ${HOW_TO_BUILD}.`,
      );
    }
    return path;
  }
  const found = onPath(tool) ?? inCache(tool, version);
  if (!found) {
    throw new Error(
      `${tool} not found: set ${envVar}, put ${tool} on PATH, or build it: ${HOW_TO_BUILD}.`,
    );
  }
  return found;
}

/**
 * kube-apiserver and etcd: the explicit paths, else PAVED_KUBE_APISERVER_BIN
 * and PAVED_ETCD_BIN, else PATH, else the per-user cache at the versions
 * pinned in scripts/toolchain/versions.env (looked for from the working
 * directory up, then from this package up). Throws, saying how to build them, when one is missing.
 */
export function findControlPlaneBinaries(
  explicit: Partial<ControlPlaneBinaries> = {},
): ControlPlaneBinaries {
  // A test run's working directory is in the repository (the package's or
  // the repository's root); else where this package is.
  let pinned = pins(process.cwd());
  if (!pinned.KUBE_VERSION) {
    try {
      pinned = pins(
        dirname(require.resolve('@paved/kube-control-plane/package.json')),
      );
    } catch {
      // not resolvable: PATH and the environment only
    }
  }
  return {
    apiserver: find(
      'kube-apiserver',
      'PAVED_KUBE_APISERVER_BIN',
      explicit.apiserver,
      pinned.KUBE_VERSION,
    ),
    etcd: find('etcd', 'PAVED_ETCD_BIN', explicit.etcd, pinned.ETCD_VERSION),
  };
}
