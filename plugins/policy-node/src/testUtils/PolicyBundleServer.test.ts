import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PolicyBundleServer } from './PolicyBundleServer';

describe('PolicyBundleServer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paved-bundle-test-'));
  const server = new PolicyBundleServer({ dirs: [dir] });

  beforeAll(async () => {
    writeFileSync(join(dir, 'a.rego'), 'package a\n\nallow := true\n');
    // Enough files that packing takes a while, as the real policies/ does.
    for (let i = 0; i < 300; i++) {
      writeFileSync(
        join(dir, `p${i}.rego`),
        `package p${i}\n\n${'x := 1\n'.repeat(200)}`,
      );
    }
    await server.start();
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('packs a bundle once for askers that arrive together (OPA polling while a test reads the revision)', async () => {
    const asked = Promise.all([
      server.revision(),
      fetch(`${server.url}/bundles/paved.tar.gz`),
      server.revision(),
      fetch(`${server.url}/bundles/paved.tar.gz`),
      server.revision(),
    ]);
    const [first, res1, second, res2, third] = await asked;
    expect(res1.status).toBe(200);
    expect(res2.status).toBe(200);
    expect(new Set([first, second, third]).size).toBe(1);
    expect(res1.headers.get('etag')).toBe(res2.headers.get('etag'));
  });

  it('packs a new revision when a file changes, and answers 304 while nothing does', async () => {
    const before = await server.revision();
    const res = await fetch(`${server.url}/bundles/paved.tar.gz`);
    const etag = res.headers.get('etag')!;
    const again = await fetch(`${server.url}/bundles/paved.tar.gz`, {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
    writeFileSync(join(dir, 'a.rego'), 'package a\n\nallow := false\n');
    const [after, changed] = await Promise.all([
      server.revision(),
      fetch(`${server.url}/bundles/paved.tar.gz`, {
        headers: { 'if-none-match': etag },
      }),
    ]);
    expect(after).not.toBe(before);
    expect(changed.status).toBe(200);
  });
});
