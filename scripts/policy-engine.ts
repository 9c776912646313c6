// Runs a REAL OPA for `./platform start` and the browser tests: the pinned
// `opa` binary (PAVED_OPA_BIN) on 127.0.0.1:$PAVED_OPA_PORT, polling
// policies/ as a bundle (an edit is live within seconds; a file that does not
// compile is reported, not fatal) whose revision is the git commit, plus
// `-dirty-<digest>` when the working tree has changes. OPA reports its status
// (bundle errors with file and line) to the policy backend at
// $PAVED_OPA_STATUS_URL with the token $PAVED_OPA_STATUS_TOKEN.
// Started with `node -r sucrase/register scripts/policy-engine.ts` by
// scripts/lib/policyEngine.mjs.
import { execFileSync } from 'child_process';
import { join } from 'path';
import { LocalOpaServer } from '../plugins/policy-node/src/testUtils';

const root = join(__dirname, '..');

function gitRevision(): { commit: string; dirty: boolean } {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
    const dirty =
      execFileSync('git', ['status', '--porcelain'], {
        cwd: root,
        encoding: 'utf8',
      }).trim() !== '';
    return { commit, dirty };
  } catch {
    return { commit: 'no-git', dirty: true };
  }
}

async function main() {
  const port = Number(process.env.PAVED_OPA_PORT ?? 8181);
  const statusUrl = process.env.PAVED_OPA_STATUS_URL;
  const statusToken = process.env.PAVED_OPA_STATUS_TOKEN;
  const opa = new LocalOpaServer({
    port,
    watch: true,
    bundleDirs: [join(root, 'policies')],
    // Clean tree: the commit. Changed tree: every state of the files is its
    // own revision, so the policy backend re-evaluates after each edit.
    watchRevision: digest => {
      const { commit, dirty } = gitRevision();
      return dirty ? `${commit}-dirty-${digest.slice(0, 8)}` : commit;
    },
    decisionLogs: false,
    ...(statusUrl && statusToken
      ? { status: { url: statusUrl, token: statusToken } }
      : {}),
  });
  await opa.start();
  // eslint-disable-next-line no-console
  console.log(
    `[opa] OPA ${process.env.PAVED_OPA_BIN ?? 'opa'} on ${
      opa.url
    }, bundle policies/ at revision ${await opa.currentRevision()}`,
  );
  const stop = async () => {
    await opa.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch(error => {
  // eslint-disable-next-line no-console
  console.error(
    '[opa] could not start:',
    error instanceof Error ? error.message : error,
  );
  process.exit(1);
});
