/** Bundles the operations view's test harness (fixtures/operations-harness.*) into a fresh folder for a browser suite. */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** The folder holding operations-harness.html and its bundle; the caller removes it. */
export async function buildOperationsHarness(prefix: string): Promise<string> {
  const outDir = mkdtempSync(path.join(tmpdir(), prefix));
  await build({
    entryPoints: [path.join(FIXTURES, 'operations-harness.js')],
    bundle: true,
    format: 'esm',
    outfile: path.join(outDir, 'operations-harness.bundle.js'),
    logLevel: 'silent',
  });
  copyFileSync(path.join(FIXTURES, 'operations-harness.html'), path.join(outDir, 'operations-harness.html'));
  return outDir;
}
