import { test, expect, type Page } from '@playwright/test';
import { shots, signIn } from './support';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Owner and system are catalog pickers (autocomplete): type, then choose.
async function pick(page: Page, label: string, typed: string, option: RegExp) {
  const input = page
    .getByRole('combobox', { name: label })
    .or(page.getByLabel(label))
    .first();
  await input.click();
  await input.fill(typed);
  await page.getByRole('option', { name: option }).first().click();
}

test.describe('Golden paths', () => {
  test.beforeEach(async ({ page }) => signIn(page));

  test('runs a service template offline and lands on the new component with its docs', async ({
    page,
  }) => {
    test.setTimeout(300_000);
    const name = `e2e-subgraph-${Date.now().toString(36)}`;

    await page.goto('/create');
    // The innermost element holding both the template's heading and a
    // Choose button is its card.
    const card = page
      .locator('div')
      .filter({
        has: page.getByRole('heading', {
          name: 'GraphQL federation subgraph (TypeScript)',
          exact: true,
        }),
      })
      .filter({ has: page.getByRole('button', { name: 'Choose' }) })
      .last();
    await card.getByRole('button', { name: 'Choose' }).click();

    // A bad name is refused in words, not with the raw pattern.
    await page.getByLabel('Name').first().fill('Orders_API');
    await pick(page, 'Owner', 'commerce', /commerce/i);
    await pick(page, 'System', 'commerce', /commerce/i);
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(
      page
        .getByText(
          /Use 2 to 41 characters: lower-case letters, digits and dashes/,
        )
        .first(),
    ).toBeVisible();
    await expect(page.getByText(/must match pattern/)).toHaveCount(0);
    // A name another team's entity already has is refused before Create.
    await page.getByLabel('Name').first().fill('orders-service');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(
      page
        .getByText(
          "The name 'orders-service' is taken by component:default/orders-service",
          { exact: false },
        )
        .first(),
    ).toBeVisible();
    await page.screenshot({
      path: `${shots}/template-name-taken.png`,
      fullPage: true,
    });
    await page.getByLabel('Name').first().fill(name);
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByLabel('Entity type').first()).toHaveValue('Product');
    await page.getByRole('button', { name: 'Review' }).click();
    await page.screenshot({
      path: `${shots}/template-review.png`,
      fullPage: true,
    });
    await page.getByRole('button', { name: 'Create' }).click();

    // The task page streams its log; every step of the golden path finishes.
    await expect(page.getByText('Publish repository').first()).toBeVisible({
      timeout: 60_000,
    });
    const open = page
      .getByRole('button', { name: 'Open in catalog' })
      .or(page.getByRole('link', { name: 'Open in catalog' }));
    await expect(open.first()).toBeVisible({ timeout: 120_000 });
    const published = await page
      .getByText(/Published to/)
      .first()
      .innerText();
    await page.screenshot({
      path: `${shots}/template-task.png`,
      fullPage: true,
    });
    // The task output says the files were checked by the real OPA (the
    // Repository text is shown first; the policy line is one click away).
    await page.getByRole('button', { name: 'Policy check' }).click();
    await expect(
      page.getByText(/^Policy-checked: \d+ errors, \d+ warnings/),
    ).toBeVisible();

    // The repository the task names is a real git repository: it clones, on main.
    const repoPath = published.match(/Published to (\S+)/)?.[1];
    expect(repoPath).toContain(`/repositories/${name}`);
    const cloneDir = mkdtempSync(join(tmpdir(), 'paved-clone-'));
    try {
      execFileSync('git', ['clone', '-q', repoPath!, join(cloneDir, name)]);
      expect(existsSync(join(cloneDir, name, 'catalog-info.yaml'))).toBe(true);
      const branch = execFileSync('git', [
        '-C',
        join(cloneDir, name),
        'branch',
        '--show-current',
      ])
        .toString()
        .trim();
      expect(branch).toBe('main');
    } finally {
      rmSync(cloneDir, { recursive: true, force: true });
    }

    await open.first().click();
    // The catalog reads the new repository through its glob location; the
    // action refreshes that location, so the entity arrives within seconds.
    // "Entity not found" also shows the name as heading: wait for content
    // only the ingested entity has.
    await expect(async () => {
      await page.reload();
      await expect(
        page.getByText('GraphQL subgraph owning Product').first(),
      ).toBeVisible({ timeout: 3_000 });
    }).toPass({ timeout: 120_000 });
    await expect(page.getByRole('heading', { name }).first()).toBeVisible();
    await page.screenshot({
      path: `${shots}/template-component.png`,
      fullPage: true,
    });

    await page
      .getByRole('tab', { name: 'TechDocs' })
      .or(page.getByRole('link', { name: 'TechDocs' }))
      .first()
      .click();
    const docs = page.locator('[data-testid="techdocs-native-shadowroot"]');
    await expect(
      docs.getByText('A federation 2 subgraph that owns the'),
    ).toBeVisible({ timeout: 150_000 });
    await page.screenshot({
      path: `${shots}/template-docs.png`,
      fullPage: true,
    });
  });
});
