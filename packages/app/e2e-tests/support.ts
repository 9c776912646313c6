// Shared by the browser tests: where screenshots go, and guest sign-in.
import { expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';

export const shots = 'artifacts/screenshots';
mkdirSync(shots, { recursive: true });

/** Signs in as the guest on the catalog (`/catalog`; `/` is the home page). */
export async function signIn(page: Page) {
  await page.goto('/catalog');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page.getByRole('heading', { name: 'Paved Catalog' }),
  ).toBeVisible();
}
