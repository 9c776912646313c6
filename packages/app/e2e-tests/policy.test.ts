import { test, expect } from '@playwright/test';
import { shots, signIn } from './support';

// The browser-test backend asks a real OPA serving policies/
// (scripts/policy-engine.ts, as ./platform start runs it): the rule ids,
// messages, remediation and docs links are the shipped Rego's.
test.describe('Policy views', () => {
  test.beforeEach(async ({ page }) => signIn(page));

  test("shows a component's findings from OPA on its Policies tab", async ({
    page,
  }) => {
    test.setTimeout(180_000);
    // The scheduled run evaluates the catalog once it is ingested; until then
    // the tab says "not evaluated yet", so reload as a user would.
    await page.goto('/catalog/default/component/orders-service/policies');
    const workload = page.getByText(
      /^Workload rules \(live Kubernetes manifests\)/,
    );
    await expect(async () => {
      await page.reload();
      await expect(workload).toBeVisible({ timeout: 3_000 });
    }).toPass({ timeout: 120_000 });

    // Real decisions: nothing says "simulated engine".
    await expect(page.getByTestId('simulated-engine')).toHaveCount(0);
    await expect(page.getByTestId('compliance-status')).toContainText(
      'Failing',
    );
    const finding = page
      .getByTestId('finding')
      .filter({ hasText: 'run-as-non-root' })
      .first();
    await expect(finding).toContainText(/container [a-z-]+ may run as root/);
    await expect(finding).toContainText(
      "Set securityContext.runAsNonRoot: true on the pod, and runAsUser to the image's numeric user id",
    );
    await expect(finding.getByRole('link', { name: 'Docs' })).toHaveAttribute(
      'href',
      'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/',
    );
    await expect(finding).toContainText(
      'Deployment/commerce/orders-service in cluster demo-prod-eu-1',
    );
    // The cluster itself is the Kubernetes simulator, and says so.
    await expect(finding).toContainText('simulated cluster');
    await page.screenshot({
      path: `${shots}/policies-tab.png`,
      fullPage: true,
    });

    // The rule links to its Rego source in the Policy library.
    await finding
      .getByRole('link', { name: 'paved.workload/violations' })
      .click();
    await expect(page).toHaveURL(/\/compliance\/library/);
    await expect(page.getByText('package paved.workload').first()).toBeVisible({
      timeout: 30_000,
    });
    await page.screenshot({
      path: `${shots}/policy-library.png`,
      fullPage: true,
    });
  });

  test('shows the fleet, the engine and the trend on the Compliance page', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    await page.goto('/compliance');
    await expect(page.getByText('reachable', { exact: true })).toBeVisible({
      timeout: 30_000,
    });
    await expect(page.getByTestId('simulated-engine')).toHaveCount(0);
    await expect(page.getByTestId('engine-bundle-error')).toHaveCount(0);
    await expect(page.getByTestId('legend-failing')).toContainText(
      /\d+ failing entities/,
      { timeout: 60_000 },
    );

    const rows = page.getByTestId('fleet-row');
    await expect(rows.filter({ hasText: 'Orders service' })).toHaveCount(1, {
      timeout: 60_000,
    });
    await expect(rows.filter({ hasText: 'LLM analysis API' })).toHaveCount(1);
    // "My teams": the guest user belongs to team-commerce only.
    await page.getByLabel('My teams').check();
    await expect(rows.filter({ hasText: 'LLM analysis API' })).toHaveCount(0);
    await expect(rows.filter({ hasText: 'Orders service' })).toHaveCount(1);
    await page.screenshot({ path: `${shots}/compliance.png`, fullPage: true });
  });
});
