#!/usr/bin/env node
// The policy toolchain on policies/, deploy/opa and deploy/gatekeeper, with
// the real OPA, Regal and gator binaries (./platform builds them from the Go
// module proxy and exports PAVED_OPA_BIN, PAVED_REGAL_BIN, PAVED_GATOR_BIN).
//
//   node scripts/policy-checks.mjs <check> [--write]
//
// check         opa check --strict policies deploy/opa (+ the Rego of each ConstraintTemplate)
// fmt           opa fmt --list policies deploy/opa: fails naming every file it would reformat
// lint          regal lint policies deploy/opa: zero violations; .regal/config.yaml gives reasons
// test          opa test policies deploy/opa/authz: counts, then coverage per file, >= 95% total
// gator-verify  gator verify deploy/gatekeeper, and OPA's invalid-input on the same invalid samples
// gator-demo    the demo clusters' Gatekeeper audit (constraint status in
//               packages/kubernetes-simulator/fixtures/demo-*.yaml) against gator test
//               on the fixtures' objects; --write rewrites the statuses from gator
// bench         (not a test-all stage) 10,000 catalog entities through paved/catalog/batch
//               on a loopback opa run --server, batches of 250/500/1000
//
// Every check prints the commands it runs and exits non-zero on failure.
// Node only (node:*), no packages: YAML is parsed by OPA's yaml.unmarshal.
import { spawnSync } from 'node:child_process';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const OPA = process.env.PAVED_OPA_BIN ?? 'opa';
const GATOR = process.env.PAVED_GATOR_BIN ?? 'gator';
const REGAL = process.env.PAVED_REGAL_BIN ?? 'regal';

/** Rego checked by opa check, opa fmt and Regal. */
const REGO_PATHS = ['policies', 'deploy/opa'];
/** Rego with tests: opa test. */
const TEST_PATHS = ['policies', 'deploy/opa/authz'];
const MIN_COVERAGE = 95;
// opa test's default is 5 s per test; the table tests take 1-2 s on an idle
// 2-core machine, so leave room for a busy one.
const TEST_TIMEOUT = '--timeout=60s';
const GATEKEEPER = 'deploy/gatekeeper';
const FIXTURES = 'packages/kubernetes-simulator/fixtures';
/** Gatekeeper's audit keeps this many violations per constraint (--constraint-violations-limit). */
const AUDIT_VIOLATIONS_LIMIT = 20;

class CheckFailed extends Error {}

const fail = message => {
  throw new CheckFailed(message);
};

/** Runs a tool from the repository root, printing the command line. */
function run(cmd, args, { input, quiet = false } = {}) {
  const shown = [cmd, ...args]
    .map(a => (/[\s*'"]/.test(a) ? JSON.stringify(a) : a))
    .join(' ');
  console.log(`$ ${shown}`);
  const result = spawnSync(cmd, args, {
    cwd: root,
    input,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  if (result.error?.code === 'ENOENT') {
    const variable = {
      [OPA]: 'PAVED_OPA_BIN',
      [GATOR]: 'PAVED_GATOR_BIN',
      [REGAL]: 'PAVED_REGAL_BIN',
    }[cmd];
    fail(
      `${cmd} not found: run through ./platform (it builds and exports the pinned tools) or set ${variable}`,
    );
  }
  if (result.error) fail(`${cmd}: ${result.error.message}`);
  if (!quiet && result.stderr.trim()) process.stderr.write(result.stderr);
  return result;
}

const relativeFiles = (dir, pattern) =>
  existsSync(join(root, dir))
    ? readdirSync(join(root, dir), { recursive: true })
        .filter(f => pattern.test(f))
        .map(f => join(dir, f))
        .sort()
    : [];

// --- YAML through OPA -------------------------------------------------------

/** Splits a YAML stream into its documents, keeping each one's lines. */
function splitDocuments(text) {
  const lines = text.split('\n');
  const docs = [];
  let start = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i === lines.length || /^---\s*$/.test(lines[i])) {
      docs.push({ start, end: i, text: lines.slice(start, i).join('\n') });
      start = i + 1;
    }
  }
  return docs;
}

/** Parses YAML documents (strings) with OPA's yaml.unmarshal; null for an empty document. */
function parseYaml(texts) {
  const result = run(
    OPA,
    [
      'eval',
      '--stdin-input',
      '--format',
      'json',
      '[yaml.unmarshal(d) | some d in input]',
    ],
    {
      input: JSON.stringify(texts),
      quiet: true,
    },
  );
  const answer = safeJson(result.stdout);
  const value = answer?.result?.[0]?.expressions?.[0]?.value;
  if (result.status !== 0 || !Array.isArray(value)) {
    fail(
      `opa could not parse the YAML: ${(result.stderr || result.stdout).slice(
        0,
        2000,
      )}`,
    );
  }
  return value;
}

const safeJson = text => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** The documents of YAML files (one OPA call for all), each with its file, lines and object. */
function readObjects(paths) {
  const docs = paths.flatMap(file =>
    splitDocuments(readFileSync(join(root, file), 'utf8')).map(d => ({
      file,
      ...d,
    })),
  );
  const objects = parseYaml(docs.map(d => d.text));
  return docs
    .map((doc, i) => ({ ...doc, object: objects[i] }))
    .filter(d => d.object);
}

// --- check, fmt, lint ---------------------------------------------------------

/** The Rego of each ConstraintTemplate under deploy/gatekeeper, written to a temporary folder. */
function extractTemplateRego(dir) {
  const files = relativeFiles(join(GATEKEEPER, 'templates'), /\.ya?ml$/);
  const written = [];
  for (const { file, object } of readObjects(files)) {
    (object.spec?.targets ?? []).forEach((target, t) =>
      (target.code ?? []).forEach((code, c) => {
        if (code.engine !== 'Rego' || typeof code.source?.rego !== 'string')
          return;
        const out = join(dir, `${basename(file, '.yaml')}-${t}-${c}.rego`);
        writeFileSync(out, code.source.rego);
        written.push({ file, out });
      }),
    );
  }
  return written;
}

function checkCompile() {
  const result = run(OPA, ['check', '--strict', ...REGO_PATHS]);
  if (result.status !== 0)
    fail(`opa check --strict found errors in ${REGO_PATHS.join(', ')}`);
  console.log(`opa check --strict: ${REGO_PATHS.join(', ')} compile`);
  // The templates' Rego is compiled by Gatekeeper, not by these paths; check it with the same OPA.
  const dir = mkdtempSync(join(tmpdir(), 'paved-templates-'));
  try {
    const written = extractTemplateRego(dir);
    const templates = run(OPA, [
      'check',
      '--strict',
      ...written.map(w => w.out),
    ]);
    if (templates.status !== 0) {
      fail(
        `opa check --strict found errors in the Rego of ${written
          .map(w => w.file)
          .join(', ')}`,
      );
    }
    console.log(
      `opa check --strict: the Rego of ${written.length} ConstraintTemplates compiles`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function checkFormat() {
  const paths = [...REGO_PATHS, ...relativeFiles(GATEKEEPER, /\.rego$/)];
  const result = run(OPA, ['fmt', '--list', ...paths]);
  if (result.status !== 0) fail('opa fmt failed');
  const listed = result.stdout.split('\n').filter(Boolean);
  if (listed.length) {
    fail(
      `opa fmt would reformat ${listed.length} file(s):\n${listed
        .map(f => `  ${f}`)
        .join('\n')}\nrun: opa fmt -w ${listed.join(' ')}`,
    );
  }
  console.log(`opa fmt: every file under ${paths.join(', ')} is formatted`);
}

/** Every rule configured in .regal/config.yaml carries a comment saying why. */
function regalConfigProblems() {
  const path = '.regal/config.yaml';
  if (!existsSync(join(root, path))) return [`${path} is missing`];
  const lines = readFileSync(join(root, path), 'utf8').split('\n');
  const problems = [];
  let inRules = false;
  for (let i = 0; i < lines.length; i++) {
    if (/^\S/.test(lines[i])) inRules = /^rules:/.test(lines[i]);
    const rule = inRules && /^ {4}([\w-]+):\s*$/.exec(lines[i]);
    if (!rule) continue;
    let j = i + 1;
    while (j < lines.length && (/^ {6}/.test(lines[j]) || !lines[j].trim()))
      j++;
    const block = [lines[i - 1] ?? '', ...lines.slice(i + 1, j)];
    if (!block.some(l => /^\s*#\s*\S/.test(l)))
      problems.push(
        `${path}:${i + 1}: rule ${rule[1]} has no comment giving the reason`,
      );
  }
  return problems;
}

function checkLint() {
  const result = run(REGAL, ['lint', '--format', 'json', ...REGO_PATHS], {
    quiet: true,
  });
  const report = safeJson(result.stdout);
  if (!report) fail(`regal lint failed: ${result.stderr || result.stdout}`);
  const violations = report.violations ?? [];
  for (const v of violations) {
    const where = `${v.location?.file}:${v.location?.row}:${v.location?.col}`;
    console.log(
      `${where}: ${v.title} (${v.category}, ${v.level}): ${v.description}`,
    );
    if (v.location?.text) console.log(`    ${v.location.text.trim()}`);
    if (v.related_resources?.[0]?.ref)
      console.log(`    ${v.related_resources[0].ref}`);
  }
  const summary = report.summary ?? {};
  console.log(
    `regal lint: ${summary.files_scanned ?? '?'} files, ${
      summary.num_violations ?? violations.length
    } violations`,
  );
  const configProblems = regalConfigProblems();
  configProblems.forEach(p => console.log(p));
  if (violations.length || result.status !== 0 || configProblems.length) {
    fail(
      `regal lint: ${violations.length} violation(s), ${configProblems.length} unexplained configuration(s)`,
    );
  }
}

// --- test ---------------------------------------------------------------------

function checkTests() {
  const results = run(
    OPA,
    ['test', '--format=json', TEST_TIMEOUT, ...TEST_PATHS],
    { quiet: true },
  );
  const tests = safeJson(results.stdout);
  if (!Array.isArray(tests))
    fail(`opa test failed to run:\n${results.stderr || results.stdout}`);
  let passed = 0;
  const failures = [];
  for (const t of tests) {
    const name = `${t.package}.${t.name}`;
    const subs = Object.values(t.sub_results ?? {});
    if (subs.length) {
      for (const s of subs) {
        if (s.fail || s.error)
          failures.push(`${name}[${JSON.stringify(s.name)}]`);
        else passed++;
      }
    } else if (t.fail || t.error || t.skip) {
      failures.push(
        `${name}${
          t.error
            ? `: ${t.error.message ?? JSON.stringify(t.error)}`
            : t.skip
            ? ' (skipped)'
            : ''
        }`,
      );
    } else {
      passed++;
    }
  }
  const rules = tests.length;
  console.log(
    `opa test: ${rules} test rules, ${
      passed + failures.length
    } cases (a table test counts each case): ${passed} passed, ${
      failures.length
    } failed`,
  );
  failures.forEach(f => console.log(`  FAIL ${f}`));
  if (failures.length || results.status !== 0) {
    fail(
      `opa test: ${failures.length} failing${
        failures.length ? '' : ` (exit ${results.status})`
      }; details: opa test -v ${TEST_PATHS.join(' ')}`,
    );
  }

  // The JSON coverage report carries no test results, hence the first run.
  const coverage = run(
    OPA,
    ['test', '--coverage', '--format=json', TEST_TIMEOUT, ...TEST_PATHS],
    { quiet: true },
  );
  const report = safeJson(coverage.stdout);
  if (!report?.files)
    fail(`opa test --coverage failed:\n${coverage.stderr || coverage.stdout}`);
  const rows = Object.entries(report.files)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([file, f]) => ({
      file,
      coverage: `${(f.coverage ?? 0).toFixed(1)}%`,
      'not covered': (f.not_covered ?? [])
        .map(r =>
          r.start.row === r.end.row
            ? r.start.row
            : `${r.start.row}-${r.end.row}`,
        )
        .join(', '),
    }));
  console.table(rows);
  const total = report.coverage ?? 0;
  const policyFiles = Object.entries(report.files).filter(
    ([f]) => !f.endsWith('_test.rego'),
  );
  const covered = policyFiles.reduce(
    (n, [, f]) => n + (f.covered_lines ?? 0),
    0,
  );
  const uncovered = policyFiles.reduce(
    (n, [, f]) => n + (f.not_covered_lines ?? 0),
    0,
  );
  console.log(
    `coverage: ${total.toFixed(2)}% in total (${report.covered_lines} of ${
      report.covered_lines + report.not_covered_lines
    } lines), ` +
      `${((100 * covered) / Math.max(1, covered + uncovered)).toFixed(
        2,
      )}% without the _test.rego files; minimum ${MIN_COVERAGE}%`,
  );
  if (total < MIN_COVERAGE)
    fail(`coverage ${total.toFixed(2)}% is below ${MIN_COVERAGE}%`);
}

// --- gator verify ---------------------------------------------------------------

function checkGatorVerify() {
  const result = run(GATOR, ['verify', GATEKEEPER]);
  process.stdout.write(result.stdout);
  if (result.status !== 0) fail(`gator verify ${GATEKEEPER} failed`);
  const suites = result.stdout.split('\n').filter(l => /^ok\s/.test(l)).length;
  console.log(`gator verify: ${suites} suite(s) passed`);

  // The same invalid samples through OPA: invalid-input gives the message the templates give.
  const samples = relativeFiles(
    join(GATEKEEPER, 'samples/invalid'),
    /\.ya?ml$/,
  );
  if (!samples.length) return;
  const items = {};
  const expected = {};
  for (const file of samples) {
    const header = /^# invalid-input case: (.+)$/m.exec(
      readFileSync(join(root, file), 'utf8'),
    );
    if (!header) fail(`${file}: no "# invalid-input case: <message>" line`);
    expected[file] = header[1];
    items[file] = { manifests: [] };
  }
  for (const { file, object } of readObjects(samples))
    items[file].manifests.push(object);
  const eval_ = run(
    OPA,
    [
      'eval',
      '--stdin-input',
      '--format',
      'json',
      '--data',
      'policies/workload',
      'data.paved.workload.batch',
    ],
    {
      input: JSON.stringify({ items }),
      quiet: true,
    },
  );
  const answer = safeJson(eval_.stdout)?.result?.[0]?.expressions?.[0]?.value;
  if (!answer)
    fail(
      `opa eval of the invalid samples failed: ${eval_.stderr || eval_.stdout}`,
    );
  const disagreeing = samples.filter(
    file =>
      !(answer[file] ?? []).some(
        v => v.id === 'invalid-input' && v.message === expected[file],
      ),
  );
  for (const file of disagreeing) {
    console.log(
      `  ${file}: OPA says ${JSON.stringify(
        (answer[file] ?? [])
          .filter(v => v.id === 'invalid-input')
          .map(v => v.message),
      )}, the sample expects ${JSON.stringify(expected[file])}`,
    );
  }
  if (disagreeing.length)
    fail(
      `paved.workload disagrees with ${disagreeing.length} Gatekeeper invalid-input sample(s)`,
    );
  console.log(
    `paved.workload (OPA) reports the same invalid-input message on all ${samples.length} samples/invalid/*.yaml`,
  );
}

// --- gator demo -----------------------------------------------------------------

const AGO = /\$\{ago:(\d+)([smhd])\}/g;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** What the simulator does at load time, from a fixed clock: gator needs valid timestamps. */
const resolvePlaceholders = text =>
  text.replace(
    AGO,
    (_, n, unit) =>
      `${new Date(Date.UTC(2026, 0, 1) - Number(n) * UNIT_MS[unit])
        .toISOString()
        .slice(0, 19)}Z`,
  );

const isConstraint = o =>
  typeof o?.apiVersion === 'string' &&
  o.apiVersion.startsWith('constraints.gatekeeper.sh/');
const isTemplate = o => o?.kind === 'ConstraintTemplate';
const keyOf = o => `${o.kind}/${o.metadata?.name}`;
const withoutStatus = ({ status: _status, ...rest }) => rest;

const canonical = value =>
  Array.isArray(value)
    ? value.map(canonical)
    : value && typeof value === 'object'
    ? Object.fromEntries(
        Object.keys(value)
          .sort()
          .map(k => [k, canonical(value[k])]),
      )
    : value;
const sameJson = (a, b) =>
  JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/** A status violation, with Gatekeeper's field order. */
function auditViolation(result) {
  const object = result.violatingObject ?? {};
  const [group, version] = (object.apiVersion ?? '').includes('/')
    ? object.apiVersion.split('/')
    : ['', object.apiVersion ?? ''];
  return {
    enforcementAction:
      result.enforcementAction ??
      result.constraint?.spec?.enforcementAction ??
      'deny',
    group,
    version,
    kind: object.kind,
    name: object.metadata?.name,
    ...(object.metadata?.namespace
      ? { namespace: object.metadata.namespace }
      : {}),
    message: result.msg,
  };
}

const violationOrder = (a, b) =>
  [a.namespace ?? '', a.kind, a.name, a.message]
    .join('\u0000')
    .localeCompare(
      [b.namespace ?? '', b.kind, b.name, b.message].join('\u0000'),
    );
const describeViolation = v =>
  `${v.kind} ${v.namespace ? `${v.namespace}/` : ''}${v.name}: ${v.message} [${
    v.enforcementAction
  }; ${v.group ? `${v.group}/` : ''}${v.version}]`;

/** gator test on the fixture's objects, templates and constraints: violations by constraint. */
function gatorDecisions(fixture, docs) {
  const dir = mkdtempSync(join(tmpdir(), 'paved-gator-demo-'));
  try {
    const file = join(dir, 'objects.yaml');
    writeFileSync(
      file,
      docs.map(d => JSON.stringify(d.object)).join('\n---\n'),
    );
    const result = run(GATOR, ['test', '--output=json', '--filename', file], {
      quiet: true,
    });
    // gator exits 1 both on violations and on errors; only a JSON answer is an answer.
    const parsed = safeJson(result.stdout);
    if (parsed === undefined)
      fail(
        `gator test on ${fixture} failed:\n${result.stderr || result.stdout}`,
      );
    const byConstraint = new Map();
    for (const r of parsed ?? []) {
      const key = keyOf(r.constraint);
      byConstraint.set(key, [
        ...(byConstraint.get(key) ?? []),
        auditViolation(r),
      ]);
    }
    for (const list of byConstraint.values()) list.sort(violationOrder);
    return byConstraint;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the fixture's status should say: totals, and the first violations as audit keeps them. */
const expectedStatus = violations => ({
  totalViolations: violations.length,
  violations: violations.slice(0, AUDIT_VIOLATIONS_LIMIT),
});

function statusDiff(label, status, expected) {
  const lines = [];
  const actual = Array.isArray(status?.violations) ? status.violations : [];
  if (status?.totalViolations !== expected.totalViolations) {
    lines.push(
      `  status.totalViolations is ${JSON.stringify(
        status?.totalViolations,
      )}, gator finds ${expected.totalViolations}`,
    );
  }
  const want = expected.violations.map(describeViolation);
  const have = actual.map(v => describeViolation({ ...v }));
  if (!sameJson(actual, expected.violations)) {
    const missing = want.filter(w => !have.includes(w));
    const extra = have.filter(h => !want.includes(h));
    missing.forEach(m => lines.push(`  + ${m}    (gator, not in the fixture)`));
    extra.forEach(e =>
      lines.push(`  - ${e}    (fixture, not what gator decides)`),
    );
    if (!missing.length && !extra.length) {
      lines.push(
        want.join('\n') === have.join('\n')
          ? '  status.violations has other fields than Gatekeeper writes (enforcementAction, group, version, kind, name, namespace, message)'
          : '  status.violations is not in audit order (namespace, kind, name, message)',
      );
    }
  }
  if (expected.totalViolations > AUDIT_VIOLATIONS_LIMIT) {
    lines.push(
      `  (gator finds ${expected.totalViolations}; audit keeps the first ${AUDIT_VIOLATIONS_LIMIT}, the portal shows the list as truncated)`,
    );
  }
  return lines.length &&
    !(lines.length === 1 && lines[0].startsWith('  (gator finds'))
    ? [`${label}:`, ...lines]
    : [];
}

function pavedGatekeeperObjects() {
  const files = [
    ...relativeFiles(join(GATEKEEPER, 'templates'), /\.ya?ml$/),
    ...relativeFiles(join(GATEKEEPER, 'constraints'), /\.ya?ml$/),
  ];
  return readObjects(files);
}

// The YAML the writer emits: block style, single quotes where needed (prettier keeps it).
const scalar = value => {
  if (typeof value !== 'string') return JSON.stringify(value);
  if (
    /^[A-Za-z_/][\w./-]*$/.test(value) &&
    !/^(true|false|null|yes|no|on|off|~)$/i.test(value)
  )
    return value;
  return `'${value.replace(/'/g, "''")}'`;
};

function statusYaml(status) {
  const out = ['status:'];
  if (status.created !== undefined) out.push(`  created: ${status.created}`);
  if (status.auditTimestamp !== undefined)
    out.push(`  auditTimestamp: ${scalar(status.auditTimestamp)}`);
  if (status.totalViolations !== undefined)
    out.push(`  totalViolations: ${status.totalViolations}`);
  if (status.violations !== undefined) {
    if (!status.violations.length) out.push('  violations: []');
    else {
      out.push('  violations:');
      for (const v of status.violations) {
        Object.entries(v).forEach(([k, value], i) =>
          out.push(`${i ? '      ' : '    - '}${k}: ${scalar(value)}`),
        );
      }
    }
  }
  if (status.byPod?.length) {
    out.push('  byPod:');
    const order = ['id', 'observedGeneration', 'enforced', 'operations'];
    const rank = k => (order.includes(k) ? order.indexOf(k) : order.length);
    for (const pod of status.byPod) {
      Object.entries(pod)
        .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
        .forEach(([k, value], i) =>
          out.push(
            `${i ? '      ' : '    - '}${k}: ${
              Array.isArray(value)
                ? `[${value.map(scalar).join(', ')}]`
                : scalar(value)
            }`,
          ),
        );
    }
  }
  return out;
}

/** The lines of a document's status block, and where the trailing comments (the next section's) start. */
function statusRange(lines) {
  const start = lines.findIndex(l => /^status:/.test(l));
  let end = lines.length;
  while (end > 0 && (/^#/.test(lines[end - 1]) || !lines[end - 1].trim()))
    end--;
  return { start, end };
}

function checkGatorDemo({ write }) {
  const fixtures = relativeFiles(FIXTURES, /^demo-.*\.ya?ml$/);
  if (!fixtures.length) fail(`no ${FIXTURES}/demo-*.yaml`);
  const paved = pavedGatekeeperObjects();
  const problems = [];
  let rewritten = 0;
  for (const fixture of fixtures) {
    const raw = readFileSync(join(root, fixture), 'utf8');
    const docs = splitDocuments(resolvePlaceholders(raw));
    const objects = parseYaml(docs.map(d => d.text));
    const located = docs
      .map((d, i) => ({ ...d, object: objects[i] }))
      .filter(d => d.object);
    const name = basename(fixture);

    // Paved's templates and constraints are in the demo as deploy/gatekeeper has them.
    const missing = [];
    const drifted = [];
    for (const p of paved) {
      const found = located.find(d => keyOf(d.object) === keyOf(p.object));
      if (!found) missing.push(p);
      else if (!sameJson(withoutStatus(found.object), p.object))
        drifted.push({ ...p, doc: found });
    }
    drifted.forEach(p =>
      problems.push(`${name}: ${keyOf(p.object)} differs from ${p.file}`),
    );

    // What gator decides on the demo objects, with Paved's objects as they ship.
    const evaluated = [
      ...located.filter(d => !drifted.some(p => p.doc === d)),
      ...[...missing, ...drifted].map(p => ({ object: p.object })),
    ];
    const decisions = gatorDecisions(fixture, evaluated);
    const total = p =>
      isConstraint(p.object)
        ? `; gator finds ${
            (decisions.get(keyOf(p.object)) ?? []).length
          } violation(s)`
        : '';
    missing.forEach(p =>
      problems.push(
        `${name}: has no ${keyOf(p.object)} (${p.file}${total(p)})`,
      ),
    );
    const constraints = evaluated.filter(d => isConstraint(d.object));
    const audited = [];
    for (const c of constraints) {
      const key = keyOf(c.object);
      const expected = expectedStatus(decisions.get(key) ?? []);
      audited.push(`${key} ${expected.totalViolations}`);
      if (missing.some(p => keyOf(p.object) === key)) continue;
      const diff = statusDiff(
        `${name}: ${key} status disagrees with gator`,
        c.object.status,
        expected,
      );
      if (diff.length) problems.push(diff.join('\n'));
    }
    for (const key of decisions.keys()) {
      if (!constraints.some(c => keyOf(c.object) === key))
        problems.push(
          `${name}: gator reports ${key}, which the fixture does not have`,
        );
    }
    const audits = evaluated.filter(
      d => !isConstraint(d.object) && !isTemplate(d.object),
    ).length;
    console.log(
      `${name}: gator test of ${audits} objects; violations by constraint: ${audited.join(
        ', ',
      )}`,
    );

    if (write) {
      const updated = rewriteFixture(raw, located, paved, decisions, {
        missing,
        drifted,
      });
      if (updated !== raw) {
        writeFileSync(join(root, fixture), updated);
        rewritten++;
        console.log(`${fixture}: statuses rewritten from gator`);
      }
    }
  }
  if (write) {
    console.log(
      rewritten
        ? `rewrote ${rewritten} fixture(s); checking again`
        : 'fixtures already agree with gator',
    );
    if (rewritten) return checkGatorDemo({ write: false });
    return undefined;
  }
  if (problems.length) {
    console.log(problems.join('\n'));
    fail(
      `${problems.length} disagreement(s) between the demo fixtures and gator; run: node scripts/policy-checks.mjs gator-demo --write`,
    );
  }
  console.log(
    `gator-demo: the Gatekeeper audit in ${fixtures.length} demo fixtures is what gator decides`,
  );
  return undefined;
}

function rewriteFixture(raw, located, paved, decisions, { missing, drifted }) {
  const lines = raw.split('\n');
  const auditPod =
    located.flatMap(d => d.object.status?.byPod ?? [])[0]?.id ??
    'gatekeeper-audit-0';
  const templateStatus = {
    created: true,
    byPod: [
      { id: auditPod, observedGeneration: 1, operations: ['audit', 'status'] },
    ],
  };
  const constraintStatus = (key, old) => ({
    auditTimestamp: '${ago:5m}',
    ...expectedStatus(decisions.get(key) ?? []),
    byPod: old?.byPod ?? [
      {
        id: auditPod,
        observedGeneration: 1,
        enforced: true,
        operations: ['audit', 'status'],
      },
    ],
  });
  const pavedDocument = (p, old) => [
    ...p.text.replace(/^\n+|\n+$/g, '').split('\n'),
    ...statusYaml(
      isConstraint(p.object)
        ? constraintStatus(keyOf(p.object), old)
        : templateStatus,
    ),
  ];

  // Edit from the end, so earlier line numbers stay valid.
  const edits = [];
  for (const d of located) {
    const own = drifted.find(p => p.doc === d);
    const docLines = lines.slice(d.start, d.end);
    const { start, end } = statusRange(docLines);
    if (own) {
      edits.push({
        from: d.start,
        to: d.start + end,
        lines: pavedDocument(own, d.object.status),
      });
      continue;
    }
    if (!isConstraint(d.object)) continue;
    const key = keyOf(d.object);
    const expected = expectedStatus(decisions.get(key) ?? []);
    const status = d.object.status ?? {};
    if (
      status.totalViolations === expected.totalViolations &&
      sameJson(status.violations ?? [], expected.violations)
    )
      continue;
    const oldLines = start >= 0 ? docLines.slice(start, end) : [];
    // Keep the status's own timestamp text (a ${ago:...} placeholder) and audit pods.
    const timestamp = oldLines.find(l => /^ {2}auditTimestamp:/.test(l));
    const next = statusYaml({
      ...status,
      auditTimestamp: undefined,
      ...expected,
      byPod: status.byPod,
    });
    if (timestamp) next.splice(1, 0, timestamp);
    else next.splice(1, 0, "  auditTimestamp: '${ago:5m}'");
    edits.push(
      start >= 0
        ? { from: d.start + start, to: d.start + end, lines: next }
        : { from: d.start + end, to: d.start + end, lines: next },
    );
  }
  for (const e of edits.sort((a, b) => b.from - a.from))
    lines.splice(e.from, e.to - e.from, ...e.lines);

  if (missing.length) {
    while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
    lines.push(
      "# --- Gatekeeper: Paved's templates and constraints (deploy/gatekeeper) ---------",
      '# Copies of deploy/gatekeeper; status is what gator decides on this file',
      '# (node scripts/policy-checks.mjs gator-demo --write).',
    );
    const ordered = [
      ...missing.filter(p => isTemplate(p.object)),
      ...missing.filter(p => !isTemplate(p.object)),
    ];
    for (const p of ordered) lines.push('---', ...pavedDocument(p, undefined));
    lines.push('');
  }
  return lines.join('\n');
}

// --- batch timing (not a test-all stage) ----------------------------------------

/** A catalog entity as the catalog returns it (relations, managed-by annotations, links). */
function benchEntity(i) {
  const name = `service-${i}`;
  const location = `url:https://git.example.com/org/${name}/blob/main/catalog-info.yaml`;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: i % 10 === 0 ? 'API' : 'Component',
    metadata: {
      namespace: 'default',
      name,
      title: `Service ${i}`,
      uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      etag: `etag-${i}`,
      ...(i % 3
        ? {
            description: `Service ${i} of the benchmark fleet, answering requests for its team.`,
          }
        : {}),
      tags: ['java', 'payments'].slice(0, i % 3),
      links: [{ url: `https://${name}.example.com`, title: 'Dashboard' }],
      annotations: {
        'backstage.io/managed-by-location': location,
        'backstage.io/managed-by-origin-location': location,
        'backstage.io/view-url': `https://git.example.com/org/${name}`,
        'backstage.io/edit-url': `https://git.example.com/org/${name}/edit/main/catalog-info.yaml`,
        'backstage.io/source-location': `url:https://git.example.com/org/${name}/tree/main/`,
        ...(i % 5 ? { 'backstage.io/kubernetes-id': name } : {}),
        ...(i % 4 ? { 'backstage.io/techdocs-ref': 'dir:.' } : {}),
      },
    },
    spec: {
      type: i % 10 === 0 ? 'openapi' : 'service',
      lifecycle: i % 11 === 0 ? 'beta' : 'production',
      owner:
        i % 17 === 0
          ? 'group:default/ghost-team'
          : `group:default/team-${i % 50}`,
      ...(i % 7 ? { system: `system:default/system-${i % 200}` } : {}),
      ...(i % 10 === 0
        ? { definition: 'openapi: 3.0.0\ninfo:\n  title: API\n' }
        : {}),
    },
    relations: [
      { type: 'ownedBy', targetRef: `group:default/team-${i % 50}` },
      ...(i % 7
        ? [{ type: 'partOf', targetRef: `system:default/system-${i % 200}` }]
        : []),
    ],
  };
}

function benchItems(count) {
  const group = g => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { namespace: 'default', name: `team-${g}`, uid: `group-${g}` },
    spec: {
      type: 'team',
      profile: { displayName: `Team ${g}` },
      children: [],
      members: [`user-${g}`],
    },
  });
  const system = s => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: {
      namespace: 'default',
      name: `system-${s}`,
      description: 'A system.',
    },
    spec: { owner: `group:default/team-${s % 50}` },
  });
  return Array.from({ length: count }, (_, i) => [
    `component:default/service-${i}`,
    {
      entity: benchEntity(i),
      owner: i % 17 === 0 ? null : group(i % 50),
      system: i % 7 ? system(i % 200) : null,
    },
  ]);
}

/** The live manifests of one entity in one cluster: a Deployment (app and sidecar), half with an autoscaler. */
function benchWorkload(i) {
  const name = `service-${i}`;
  const namespace = i % 3 ? 'payments-prod' : 'payments';
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace,
      labels: { app: name, 'backstage.io/kubernetes-id': name },
      annotations: {},
    },
    spec: {
      replicas: 1 + (i % 3),
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          securityContext:
            i % 4 ? { runAsNonRoot: true, runAsUser: 10001 } : {},
          containers: [
            {
              name: 'app',
              image:
                i % 5
                  ? `registry.example.com/${name}:1.2.${i}`
                  : 'nginx:latest',
              ports: [{ name: 'http', containerPort: 8080 }],
              resources: {
                requests: { cpu: '100m', memory: '128Mi' },
                limits: { memory: '256Mi' },
              },
              livenessProbe: { httpGet: { path: '/healthz', port: 'http' } },
              ...(i % 2
                ? {
                    readinessProbe: {
                      httpGet: { path: '/ready', port: 'http' },
                    },
                  }
                : {}),
            },
            {
              name: 'sidecar',
              image: 'envoyproxy/envoy:v1.30.1',
              resources: { requests: { cpu: '50m', memory: '64Mi' } },
            },
          ],
        },
      },
    },
  };
  const autoscaler = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: 2,
      maxReplicas: 5,
    },
  };
  return { manifests: i % 2 ? [deployment, autoscaler] : [deployment] };
}

async function checkBench() {
  const total = Number(process.env.BENCH_ENTITIES ?? 10_000);
  const sizes = (process.env.BENCH_BATCH_SIZES ?? '250,500,1000')
    .split(',')
    .map(Number);
  const budgetMs = 5000;
  const port = 20000 + Math.floor(Math.random() * 20000);
  const args = [
    'run',
    '--server',
    '--addr',
    `127.0.0.1:${port}`,
    '--log-level',
    'error',
    '--ignore',
    '*_test.rego',
    'policies',
  ];
  console.log(`$ ${OPA} ${args.join(' ')}`);
  const { spawn } = await import('node:child_process');
  const server = spawn(OPA, args, {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      const up = await fetch(`${url}/health`).then(
        r => r.ok,
        () => false,
      );
      if (up) break;
      if (i > 100) fail('opa run --server did not become healthy');
      await new Promise(r => setTimeout(r, 100));
    }
    const items = benchItems(total);
    const query = async (path, input) => {
      const res = await fetch(`${url}/v1/data/${path}`, {
        method: 'POST',
        body: JSON.stringify({ input }),
        headers: { 'content-type': 'application/json' },
      });
      const body = await res.json();
      if (!res.ok || body.result === undefined)
        fail(`${path}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
      return body.result;
    };
    // Warm up, and check the answer's shape once.
    const sample = await query('paved/catalog/batch', {
      items: Object.fromEntries(items.slice(0, 20)),
    });
    if (Object.keys(sample).length !== 20)
      fail('the batch answer has not one entry per item');
    const rows = [];
    for (const concurrency of [1, 2]) {
      for (const size of sizes) {
        const chunks = [];
        for (let i = 0; i < items.length; i += size)
          chunks.push(Object.fromEntries(items.slice(i, i + size)));
        const started = performance.now();
        let findings = 0;
        const queue = [...chunks];
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            for (let chunk = queue.shift(); chunk; chunk = queue.shift()) {
              const answer = await query('paved/catalog/batch', {
                items: chunk,
              });
              findings += Object.values(answer).reduce(
                (n, list) => n + list.length,
                0,
              );
            }
          }),
        );
        const ms = performance.now() - started;
        rows.push({
          entities: total,
          'batch size': size,
          queries: chunks.length,
          concurrency,
          'total ms': Math.round(ms),
          'ms per query': Math.round(ms / chunks.length),
          findings,
        });
      }
    }
    // The workload batch, for reference (no budget: the backend asks it only
    // for entities with Kubernetes annotations, once per cluster).
    const workloads = Array.from({ length: total }, (_, i) => [
      `component:default/service-${i}#prod-eu-1`,
      benchWorkload(i),
    ]);
    for (const concurrency of [1, 2]) {
      const size = 500;
      const queue = [];
      for (let i = 0; i < workloads.length; i += size)
        queue.push(Object.fromEntries(workloads.slice(i, i + size)));
      const queries = queue.length;
      let findings = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          for (let chunk = queue.shift(); chunk; chunk = queue.shift()) {
            const answer = await query('paved/workload/batch', {
              items: chunk,
            });
            findings += Object.values(answer).reduce(
              (n, list) => n + list.length,
              0,
            );
          }
        }),
      );
      const ms = performance.now() - started;
      rows.push({
        entities: `${total} (workload)`,
        'batch size': size,
        queries,
        concurrency,
        'total ms': Math.round(ms),
        'ms per query': Math.round(ms / queries),
        findings,
      });
    }
    // For comparison: one query per entity, on the first 1,000.
    const started = performance.now();
    const singles = items.slice(0, 1000);
    const queue = [...singles];
    await Promise.all(
      Array.from({ length: 2 }, async () => {
        for (let next = queue.shift(); next; next = queue.shift())
          await query('paved/catalog/violations', next[1]);
      }),
    );
    const ms = performance.now() - started;
    rows.push({
      entities: 1000,
      'batch size': 1,
      queries: 1000,
      concurrency: 2,
      'total ms': Math.round(ms),
      'ms per query': +(ms / 1000).toFixed(2),
      findings: '',
    });
    console.table(rows);
    const over = rows.filter(
      r => r.entities === total && r['total ms'] > budgetMs,
    );
    if (over.length)
      fail(
        `${over.length} configuration(s) take more than ${budgetMs} ms for ${total} entities`,
      );
    console.log(
      `every batch size evaluates ${total} entities within ${budgetMs} ms`,
    );
  } finally {
    server.kill();
  }
}

// --- main -----------------------------------------------------------------------

const CHECKS = {
  check: checkCompile,
  fmt: checkFormat,
  lint: checkLint,
  test: checkTests,
  'gator-verify': checkGatorVerify,
  'gator-demo': checkGatorDemo,
  bench: checkBench,
};

const [name, ...flags] = process.argv.slice(2);
if (!CHECKS[name]) {
  console.error(
    `usage: node ${relative(
      process.cwd(),
      new URL(import.meta.url).pathname,
    )} <${Object.keys(CHECKS).join('|')}> [--write]`,
  );
  process.exit(2);
}
const started = Date.now();
try {
  await CHECKS[name]({ write: flags.includes('--write') });
  console.log(
    `policy-checks ${name}: passed (${((Date.now() - started) / 1000).toFixed(
      1,
    )}s)`,
  );
} catch (error) {
  if (!(error instanceof CheckFailed)) throw error;
  console.error(`policy-checks ${name}: FAILED: ${error.message}`);
  process.exit(1);
}
