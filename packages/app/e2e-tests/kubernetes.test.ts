import { test, expect } from '@playwright/test';
import { shots, signIn } from './support';

test.describe('Kubernetes tab (simulated demo clusters)', () => {
  test.beforeEach(async ({ page }) => signIn(page));

  test('flags the crash-looping pod of orders-service', async ({ page }) => {
    await page.goto('/catalog/default/component/orders-service/kubernetes');
    await expect(page.getByTestId('simulated-banner')).toBeVisible();
    await expect(page.getByText(/CrashLoopBackOff/).first()).toBeVisible({
      timeout: 60_000,
    });
    await expect(page.getByTestId('problem').first()).toBeVisible();
    await page.screenshot({
      path: `${shots}/kubernetes-orders.png`,
      fullPage: true,
    });
  });

  test('shows a rollout progress live, without reloading', async ({ page }) => {
    test.setTimeout(150_000);
    await page.goto('/catalog/default/component/users-subgraph/kubernetes');
    const rollouts = page.getByTestId('rollout-users-subgraph');
    await expect(rollouts.first()).toBeVisible({ timeout: 60_000 });
    await expect(page.getByText('Live updates')).toBeVisible();
    const initial = (await rollouts.allTextContents()).join(' | ');
    // The demo rolls users-subgraph out every 15 s in staging; the page must
    // change on its own (signals push), never reloaded here.
    await expect
      .poll(async () => (await rollouts.allTextContents()).join(' | '), {
        timeout: 120_000,
        intervals: [1000],
      })
      .not.toBe(initial);
    await page.screenshot({
      path: `${shots}/kubernetes-rollout.png`,
      fullPage: true,
    });
  });
});
