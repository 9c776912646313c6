import { test, expect, type Locator } from '@playwright/test';
import { shots, signIn } from './support';

// The staging demo's Flux Kustomization of orders-service fails with this
// cause, at the end of a long message.
const cpuLimitCause = 'must be less than or equal to cpu limit of 1';

/** The element's text wraps inside it: nothing clipped or cut short. */
async function expectWrapsWhole(message: Locator) {
  await expect(message).toBeVisible();
  const layout = await message.evaluate(el => {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
      whiteSpace: style.whiteSpace,
      textOverflow: style.textOverflow,
      overflows: el.scrollWidth > el.clientWidth + 1,
      // One line's height: that of the first character.
      lines: (() => {
        const range = document.createRange();
        const text = el.firstChild ?? el;
        range.setStart(text, 0);
        range.setEnd(text, 1);
        return box.height / range.getBoundingClientRect().height;
      })(),
      right: box.right,
      title: el.getAttribute('title'),
      text: el.textContent,
    };
  });
  expect(layout.whiteSpace).not.toBe('nowrap');
  expect(layout.textOverflow).not.toBe('ellipsis');
  expect(layout.overflows).toBe(false);
  // At this width the long message takes several lines, inside the page.
  expect(layout.lines).toBeGreaterThan(1.5);
  expect(layout.right).toBeLessThanOrEqual(900);
  expect(layout.title).toBe(layout.text);
}

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

  test('puts the health card near the top of the overview, linking to the tab', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto('/catalog/default/component/orders-service');
    const link = page.getByText('View Kubernetes status');
    await expect(link).toBeVisible({ timeout: 60_000 });
    // The card's health line is in the first screen (the card was about
    // 1,765 px down before).
    const overall = page.getByText(/^Overall/).first();
    await expect(overall).toBeVisible();
    const box = await overall.boundingBox();
    expect(box?.y ?? Infinity).toBeLessThan(900);
    await page.screenshot({ path: `${shots}/overview-orders.png` });
    await link.click();
    await expect(page).toHaveURL(
      /\/catalog\/default\/component\/orders-service\/kubernetes$/,
    );
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

  test('shows a long Kubernetes message whole, wrapped, on a narrow window', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 900, height: 1000 });
    await page.goto('/catalog/default/component/orders-service/kubernetes');
    const problem = page
      .getByTestId('problem-message')
      .filter({ hasText: cpuLimitCause })
      .first();
    await expect(problem).toBeVisible({ timeout: 60_000 });
    await expectWrapsWhole(problem);
    const gitops = page
      .getByTestId('gitops-message')
      .filter({ hasText: cpuLimitCause })
      .first();
    await expectWrapsWhole(gitops);
    await page.screenshot({
      path: `${shots}/kubernetes-long-message.png`,
      fullPage: true,
    });
  });

  test('logs dialog: Close button, named filter, one log region, focus back on LOGS', async ({
    page,
  }) => {
    await page.goto('/catalog/default/component/orders-service/kubernetes');
    // The guest is a member of team-commerce, the owner: logs are allowed.
    const logs = page.getByRole('button', { name: /^logs of / }).first();
    await expect(logs).toBeEnabled({ timeout: 60_000 });
    await logs.click();
    const dialog = page.getByRole('dialog', { name: /^Logs of / });
    await expect(dialog).toBeVisible();
    await expect(
      dialog.getByRole('searchbox', { name: 'Filter lines' }),
    ).toBeVisible();
    const log = dialog.getByRole('log');
    await expect(log).toBeVisible();
    await expect(log).toHaveAttribute('tabindex', '0');
    // No line is a tab stop of its own.
    await expect(log.locator('[tabindex], a[href], button')).toHaveCount(0);
    await page.screenshot({ path: `${shots}/kubernetes-logs-dialog.png` });
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(logs).toBeFocused();
    await logs.click();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();
    await expect(logs).toBeFocused();
  });

  test("disables LOGS of another team's service and says who may read them", async ({
    page,
  }) => {
    // llm-analysis-api is owned by team-insights; the guest is not a member
    // and not in the admin group, so the Paved policy denies its logs.
    await page.goto('/catalog/default/component/llm-analysis-api/kubernetes');
    const reason =
      'Only owners of LLM analysis API (group:team-insights) and Paved admins may read its pod logs.';
    await expect(page.getByTestId('logs-reason').first()).toHaveText(
      `Logs: ${reason}`,
      { timeout: 60_000 },
    );
    const logs = page.getByRole('button', { name: /^logs of / }).first();
    await expect(logs).toBeDisabled();
    await expect(logs).toHaveAccessibleDescription(`Logs: ${reason}`);
  });
});

test.describe('Clusters page', () => {
  test.beforeEach(async ({ page }) => signIn(page));

  test('labels each simulated demo cluster "(simulated)" once', async ({
    page,
  }) => {
    await page.goto('/kubernetes-clusters');
    await expect(page.getByText('demo-prod-eu-1 (simulated)')).toBeVisible({
      timeout: 60_000,
    });
    await expect(page.getByText('demo-staging-eu-1 (simulated)')).toBeVisible();
    await expect(page.getByText(/\(simulated\)\s*\(simulated\)/)).toHaveCount(
      0,
    );
  });
});
