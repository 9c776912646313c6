// Runs every test stage in order and prints how long each took.
// Called by `./platform test` (and so by .ci/run).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const yarn = [process.execPath, join(root, '.yarn/releases/yarn-4.13.0.cjs')];
const env = {
  ...process.env,
  PATH: `${dirname(process.execPath)}:${join(root, 'node_modules/.bin')}:${
    process.env.PATH
  }`,
};

// One time scale for every wait and timeout in the tests (see
// packages/test-timing): Jest's per-test budget (root package.json,
// jest.testTimeout) is stretched by the same factor the tests' own waits use.
const timeScale = Math.max(1, Number(process.env.PAVED_TEST_TIME_SCALE || 1));
if (!Number.isFinite(timeScale)) {
  throw new Error(
    `PAVED_TEST_TIME_SCALE must be a number, got '${process.env.PAVED_TEST_TIME_SCALE}'`,
  );
}
const rootJestTimeoutMs = JSON.parse(
  readFileSync(join(root, 'package.json'), 'utf8'),
).jest.testTimeout;
const testTimeout = `--testTimeout=${Math.round(
  rootJestTimeoutMs * timeScale,
)}`;

const policyCheck = (name, check) => ({
  name,
  cmd: [process.execPath, join(root, 'scripts/policy-checks.mjs'), check],
});

const stages = [
  // The policy toolchain on policies/, deploy/opa and deploy/gatekeeper
  // (real OPA, Regal and gator, built by ./platform from the Go module proxy).
  policyCheck('policy: opa check --strict', 'check'),
  policyCheck('policy: opa fmt', 'fmt'),
  policyCheck('policy: regal lint', 'lint'),
  policyCheck('policy: opa test --coverage', 'test'),
  policyCheck('policy: gator verify', 'gator-verify'),
  policyCheck('policy: gator audit of the demo clusters', 'gator-demo'),
  // Each backend's router is generated from its OpenAPI spec; a spec edited
  // without regenerating (or the other way round) fails here.
  {
    name: 'OpenAPI specs match their generated routers',
    cmd: [
      'sh',
      '-c',
      ['plugins/policy-backend', 'plugins/kubernetes-status-backend']
        .map(
          pkg =>
            `"${process.execPath}" scripts/openapi-to-ts.mjs ${pkg} --check`,
        )
        .join(' && '),
    ],
  },
  // The code is formatted as the repository's prettier config says, so a
  // review shows changes, not reformatting. Templates' skeletons are left out
  // (their ${{ }} placeholders are not the languages prettier parses).
  {
    name: 'format (prettier --check)',
    cmd: [
      process.execPath,
      join(root, 'node_modules/.bin/prettier'),
      '--check',
      'plugins/**/*.{ts,tsx}',
      'packages/**/*.{ts,tsx}',
      'scripts/**/*.{ts,mjs}',
    ],
  },
  { name: 'type check (tsc)', cmd: [...yarn, 'tsc'] },
  { name: 'lint', cmd: [...yarn, 'lint:all'] },
  // CI=true: without it backstage-cli starts Jest in watch mode. Template CI
  // (packages/template-ci: real installs and builds of every golden path) is
  // a stage of its own, so its time shows and it does not compete with the
  // unit tests.
  {
    name: 'unit tests (backstage-cli repo test)',
    cmd: [
      ...yarn,
      'test',
      '--testPathIgnorePatterns',
      '/packages/template-ci/',
      testTimeout,
    ],
    env: { CI: 'true' },
  },
  {
    name: 'template CI (golden paths with their own test suites)',
    cmd: [
      ...yarn,
      'workspace',
      '@paved/template-ci',
      'backstage-cli',
      'package',
      'test',
      testTimeout,
    ],
    env: { CI: 'true' },
  },
  {
    name: 'backend integration (SQLite + PostgreSQL)',
    cmd: [...yarn, 'workspace', 'backend', 'test:integration'],
  },
  {
    name: 'build app for browser tests',
    cmd: [...yarn, 'workspace', 'app', 'build'],
  },
  {
    name: 'browser end-to-end (Chromium)',
    cmd: [...yarn, 'playwright', 'test'],
  },
];

const only = process.argv.slice(2);
const results = [];
let failed = false;
const started = Date.now();
if (timeScale > 1) console.log(`test time scale ${timeScale} (${testTimeout})`);
for (const stage of stages) {
  if (only.length && !only.some(o => stage.name.includes(o))) continue;
  process.stdout.write(`\n=== ${stage.name}\n`);
  const t0 = Date.now();
  const run = spawnSync(stage.cmd[0], stage.cmd.slice(1), {
    cwd: root,
    env: { ...env, ...stage.env },
    stdio: 'inherit',
  });
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  const ok = run.status === 0;
  results.push({
    stage: stage.name,
    seconds,
    result: ok ? 'passed' : `FAILED (${run.status ?? run.signal})`,
  });
  if (!ok) {
    failed = true;
    break;
  }
}
const total = ((Date.now() - started) / 1000).toFixed(1);
process.stdout.write('\n=== stage times\n');
console.table(results);
const passed = results.filter(r => r.result === 'passed').length;
console.log(`total ${total}s`);
console.log(`stages: ${passed} passed, ${results.length - passed} failed`);
process.exit(failed ? 1 : 0);
