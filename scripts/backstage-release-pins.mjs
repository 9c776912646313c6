#!/usr/bin/env node
/*
 * Pins every @backstage/* package in the dependency tree to one Backstage
 * release.
 *
 * Why: workspace package.json files name exact release versions, but the
 * packages they pull in depend on other @backstage/* packages with caret
 * ranges, and the registry already holds newer releases. Yarn then resolves
 * those to the newest match and mixes releases (seen: signals-backend from a
 * later release calling an API that our backend-defaults lacks).
 *
 * Backstage publishes inter-package dependencies as `^<version at release>`,
 * so the lower bound of each caret range named by a release package is the
 * version of that dependency in the same release. Starting from the exact
 * versions in the workspaces, this script walks that closure through
 * `npm view` and writes the result to the root `resolutions`.
 *
 * Usage: node scripts/backstage-release-pins.mjs   (then `yarn install`)
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;
const rootPkgPath = join(root, 'package.json');
const rootPkg = JSON.parse(readFileSync(rootPkgPath, 'utf8'));

function workspaceManifests() {
  const dirs = ['packages', 'plugins'].flatMap(base =>
    existsSync(join(root, base))
      ? readdirSync(join(root, base)).map(d => join(root, base, d))
      : [],
  );
  return [root, ...dirs]
    .map(d => join(d, 'package.json'))
    .filter(existsSync)
    .map(p => JSON.parse(readFileSync(p, 'utf8')));
}

const exact = /^\d+\.\d+\.\d+$/;
const pins = new Map();
const compare = (a, b) => {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
};
function offer(name, version) {
  if (!name.startsWith('@backstage/') || !exact.test(version)) return false;
  const current = pins.get(name);
  if (current && compare(current, version) >= 0) return false;
  pins.set(name, version);
  return true;
}

for (const manifest of workspaceManifests()) {
  for (const field of ['dependencies', 'devDependencies']) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      offer(name, String(range).replace(/^[\^~]/, ''));
    }
  }
}

const visited = new Map();
const unpublished = new Set();
async function dependenciesOf(name, version) {
  const { stdout } = await run(
    'npm',
    [
      'view',
      '--json',
      `${name}@${version}`,
      'dependencies',
      'peerDependencies',
      'devDependencies',
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const parsed = stdout.trim() ? JSON.parse(stdout) : {};
  // devDependencies too: they name the release's test utilities (for example
  // backend-test-utils), which no runtime package depends on.
  return {
    ...(parsed.devDependencies ?? {}),
    ...(parsed.peerDependencies ?? {}),
    ...(parsed.dependencies ?? {}),
  };
}

for (;;) {
  const todo = [...pins].filter(([n, v]) => visited.get(n) !== v);
  if (todo.length === 0) break;
  for (let i = 0; i < todo.length; i += 8) {
    const batch = todo.slice(i, i + 8);
    const results = await Promise.all(
      batch.map(async ([n, v]) => {
        try {
          return [n, v, await dependenciesOf(n, v)];
        } catch (error) {
          // A dev dependency can name a version the registry never received;
          // leave that package to its caret range instead of pinning a ghost.
          if (!String(error.stderr).includes('E404')) throw error;
          unpublished.add(`${n}@${v}`);
          return [n, v, {}];
        }
      }),
    );
    for (const [n, v, deps] of results) {
      visited.set(n, v);
      for (const [dep, range] of Object.entries(deps)) {
        const m = /^\^(\d+\.\d+\.\d+)$/.exec(String(range));
        if (m) offer(dep, m[1]);
      }
    }
  }
  process.stderr.write(`pinned ${pins.size} packages so far\n`);
}

for (const ghost of unpublished) {
  const name = ghost.slice(0, ghost.lastIndexOf('@'));
  pins.delete(name);
  process.stderr.write(`not published, left unpinned: ${ghost}\n`);
}

const others = Object.fromEntries(
  Object.entries(rootPkg.resolutions ?? {}).filter(
    ([n]) => !n.startsWith('@backstage/'),
  ),
);
rootPkg.resolutions = {
  ...others,
  ...Object.fromEntries([...pins].sort(([a], [b]) => a.localeCompare(b))),
};
writeFileSync(rootPkgPath, `${JSON.stringify(rootPkg, null, 2)}\n`);
console.log(`wrote ${pins.size} @backstage/* resolutions to package.json`);
