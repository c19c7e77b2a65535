/** A new user's first minute: the build `npm ci` runs (from the repository root, into web-modeler/dist), then `npm start`, then the app in Chromium. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { signalServer, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { collectPageErrors, launchChromium, removeDir, screenshot } from './support/browser.js';

const SUITE = 'web/first run (browser)';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe(SUITE, function () {
  this.timeout(240_000);
  let browser: Browser | undefined;
  let server: ServerProcess | undefined;
  let dataDir: string | undefined;

  before(async function () {
    browser = await launchChromium(this, SUITE);
    // given: the build npm ci runs as its `prepare` script, from the repository root with the default output folder
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`npm run build failed (${build.status}):\n${build.stdout}\n${build.stderr}`);
    // and: the server as the README starts it, on its own embedded database folder
    dataDir = mkdtempSync(path.join(tmpdir(), 'first-run-'));
    server = await startServerProcess({ DATA_DIR: dataDir }, 60_000, 'npm-start');
  });

  after(async function () {
    await browser?.close();
    if (server) {
      signalServer(server, 'SIGTERM');
      await server.exited();
    }
    removeDir(dataDir);
  });

  it('should show the modeler canvas at / with a clean console', async function () {
    // given
    const page = await browser!.newPage({ viewport: { width: 1400, height: 860 } });
    const errors = collectPageErrors(page);
    const failedRequests: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failedRequests.push(`${response.status()} ${response.url()}`);
    });
    const appUrl = server!.restUrl.replace(/\/engine-rest$/, '/');

    // when
    await page.goto(appUrl);

    // then
    await page.locator('.djs-element[data-element-id="StartEvent_1"]').waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator('.bio-properties-panel').waitFor({ state: 'visible' });
    await screenshot(page, 'first-run-modeler');
    expect(await page.getByText('Loading…').count()).to.equal(0);
    expect(await page.title()).to.equal('Modeler · Process engine');
    expect(failedRequests).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
    await page.close();
  });
});
