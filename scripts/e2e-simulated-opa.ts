// Runs Paved's SIMULATED OPA server (not OPA) for the browser tests: OPA's
// REST API over HTTP, with decisions made by JavaScript mirrors of a few
// rules of policies/ (see @paved/plugin-policy-node/testUtils). The backend
// is told `policy.opa.simulated: true`, so every view labels its findings as
// simulated. Started with `node -r sucrase/register scripts/e2e-simulated-opa.ts`.
import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import {
  SIMULATED_CATALOG_ENTRYPOINT,
  SIMULATED_WORKLOAD_ENTRYPOINT,
  SimulatedOpaServer,
  simulatedCatalogRules,
  simulatedWorkloadRules,
} from '../plugins/policy-node/src/testUtils';

const port = Number(process.env.PAVED_E2E_OPA_PORT ?? 7481);
const token = process.env.PAVED_E2E_OPA_TOKEN ?? 'paved-e2e-opa-token';
const policiesDir = join(__dirname, '../policies');

// The policy library page shows the Rego modules OPA has loaded; serve ours.
function regoModules(dir: string): Array<{ id: string; raw: string }> {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return regoModules(path);
    if (!entry.name.endsWith('.rego') || entry.name.endsWith('_test.rego')) return [];
    return [{ id: path.slice(policiesDir.length + 1), raw: readFileSync(path, 'utf8') }];
  });
}

async function main() {
  const opa = new SimulatedOpaServer({ token });
  opa.setDecision(SIMULATED_CATALOG_ENTRYPOINT, simulatedCatalogRules);
  opa.setDecision(SIMULATED_WORKLOAD_ENTRYPOINT, simulatedWorkloadRules);
  opa.setPolicies(regoModules(policiesDir));
  opa.setRevision('simulated-e2e');
  await opa.start({ port });
  // eslint-disable-next-line no-console
  console.log(`[simulated-opa] SIMULATED OPA server on 127.0.0.1:${port} (not OPA)`);
  const stop = async () => {
    await opa.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch(err => {
  // eslint-disable-next-line no-console
  console.error(err);
  process.exit(1);
});
