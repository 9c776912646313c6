import { test, expect } from '@playwright/test';
import { shots, signIn } from './support';
import { createServer, type Server } from 'node:http';

test.describe('Paved portal', () => {
  test.beforeEach(async ({ page }) => signIn(page));

  test('shows the platform catalog and a component with its relations', async ({
    page,
  }) => {
    await expect(page).toHaveTitle(/Paved/);
    await page.getByText('All', { exact: true }).first().click();
    await expect(page.getByText('All Components (8)')).toBeVisible();
    const row = page.getByRole('link', { name: 'Orders service', exact: true });
    await expect(row).toBeVisible();
    await page.screenshot({ path: `${shots}/catalog.png`, fullPage: true });

    await row.click();
    await expect(
      page.getByRole('heading', { name: 'Orders service' }).first(),
    ).toBeVisible();
    await expect(
      page.getByRole('link', { name: 'Commerce Team' }).first(),
    ).toBeVisible();
    // Relations: the dependencies card names the database and the broker.
    await expect(
      page.getByRole('link', { name: 'Orders database' }).first(),
    ).toBeVisible();
    await expect(
      page.getByRole('link', { name: 'Kafka' }).first(),
    ).toBeVisible();
    await page.screenshot({ path: `${shots}/component.png`, fullPage: true });
  });

  test('opens on the Paved home page with its widgets; the catalog is at /catalog', async ({
    page,
  }) => {
    await page.goto('/');
    await expect(
      page.getByRole('heading', { name: 'Welcome to Paved' }),
    ).toBeVisible();
    // What /home said before: the upstream layout starts with no widgets.
    await expect(page.getByText(/No widgets added/)).toHaveCount(0);
    await expect(
      page.getByRole('heading', { name: 'Getting started' }),
    ).toBeVisible();
    await expect(
      page.getByRole('link', { name: 'Open the catalog' }),
    ).toHaveAttribute('href', '/catalog');

    // My services: the guest is a member of team-commerce (catalog/org.yaml),
    // which owns Orders service; its health comes from the simulated
    // clusters and its compliance from the policy backend.
    await expect(
      page.getByRole('heading', { name: 'My services' }),
    ).toBeVisible();
    const services = page.getByRole('list', { name: 'My services' });
    const orders = services.getByRole('link', {
      name: 'Orders service',
      exact: true,
    });
    await expect(orders).toHaveAttribute(
      'href',
      '/catalog/default/component/orders-service',
    );
    const ordersRow = services.getByRole('listitem').filter({ has: orders });
    await expect(ordersRow.getByText('Checking…')).toHaveCount(0, {
      timeout: 60_000,
    });
    await expect(ordersRow.getByText('Health unavailable')).toHaveCount(0);
    await expect(ordersRow.getByText('Compliance unavailable')).toHaveCount(0);
    await expect(ordersRow.getByText('No Kubernetes annotations')).toHaveCount(
      0,
    );

    // Recent runs: the golden-path test may or may not have run first.
    await expect(
      page.getByRole('heading', { name: 'Recent golden-path runs' }),
    ).toBeVisible();
    await expect(
      page.getByRole('list', { name: 'Recent golden-path runs' }).or(
        page.getByRole('link', {
          name: 'Create a service from a golden path',
        }),
      ),
    ).toBeVisible();
    await page.screenshot({ path: `${shots}/home.png`, fullPage: true });

    // Sidebar: Home, Catalog, Create in that order; no App Visualizer.
    const hrefs = await page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link')
      .evaluateAll(links => links.map(l => l.getAttribute('href')));
    const home = hrefs.lastIndexOf('/'); // after the logo's link home
    expect(home).toBeGreaterThanOrEqual(0);
    expect(hrefs.indexOf('/catalog')).toBeGreaterThan(home);
    expect(hrefs.indexOf('/create')).toBeGreaterThan(hrefs.indexOf('/catalog'));
    expect(hrefs).not.toContain('/visualizer');

    // On a phone the widgets stack inside the viewport.
    const viewport = page.viewportSize();
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(services).toBeVisible();
    const right = await services.evaluate(
      el => el.getBoundingClientRect().right,
    );
    expect(right).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${shots}/home-390.png`, fullPage: true });
    if (viewport) await page.setViewportSize(viewport);

    await page.goto('/catalog');
    await expect(
      page.getByRole('heading', { name: 'Paved Catalog' }),
    ).toBeVisible();
  });

  test('lists the golden-path templates on Create', async ({ page }) => {
    await page.goto('/create');
    await expect(page.getByText('Hello service (minimal)')).toBeVisible();
    await page.screenshot({ path: `${shots}/create.png`, fullPage: true });
  });

  test('renders the portal documentation on its Docs tab', async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto('/catalog/default/component/paved-portal/docs');
    // First view triggers a local mkdocs build, which takes a while.
    const docs = page.locator('[data-testid="techdocs-native-shadowroot"]');
    await expect(
      docs.getByText('Paved is the internal developer platform portal'),
    ).toBeVisible({
      timeout: 150_000,
    });
    await expect(page.getByRole('progressbar')).toHaveCount(0, {
      timeout: 60_000,
    });
    await page.screenshot({ path: `${shots}/docs.png` });
    await docs.getByRole('link', { name: 'Getting started' }).first().click();
    await expect(
      docs.getByRole('heading', { name: 'Run the portal' }),
    ).toBeVisible();
  });

  test.describe('registration', () => {
    let server: Server;
    const componentYaml = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: e2e-registered-service
  description: Registered by the browser test
spec:
  type: service
  lifecycle: experimental
  owner: group:default/team-commerce
  system: commerce
`;
    test.beforeAll(async () => {
      server = createServer((req, res) => {
        if (req.url === '/catalog-info.yaml') {
          res
            .writeHead(200, { 'content-type': 'text/yaml' })
            .end(componentYaml);
        } else {
          res.writeHead(404).end();
        }
      });
      await new Promise<void>(r => server.listen(7191, '127.0.0.1', r));
    });
    test.afterAll(async () => new Promise<void>(r => server.close(() => r())));

    test('registers an existing component and shows it', async ({ page }) => {
      await page.goto('/catalog-import');
      await page
        .getByLabel(/URL/)
        .first()
        .fill('http://localhost:7191/catalog-info.yaml');
      await page.getByRole('button', { name: 'Analyze' }).click();
      await page.getByRole('button', { name: 'Import' }).click();
      await page.screenshot({ path: `${shots}/register.png`, fullPage: true });
      await page.getByRole('button', { name: 'View Component' }).click();
      await expect(
        page.getByRole('heading', { name: 'e2e-registered-service' }).first(),
      ).toBeVisible();
      // The catalog ingests the new location asynchronously; the entity page
      // shows "not found" until then and does not poll, so reload as a user would.
      await expect(async () => {
        await page.reload();
        await expect(
          page.getByText('Registered by the browser test').first(),
        ).toBeVisible({ timeout: 3_000 });
      }).toPass({ timeout: 90_000 });
      await page.screenshot({
        path: `${shots}/registered.png`,
        fullPage: true,
      });
    });
  });
});
