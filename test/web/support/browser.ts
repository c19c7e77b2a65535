/** Browser tests: Debian's Chromium through playwright-core, and the engine plus the built web app in-process on port 0. */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { openDatabase, type Database } from '../../../src/persistence/database.js';
import { skipOrFail } from '../../support/skip-report.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const ARTIFACTS_DIR = path.join(ROOT, 'test-artifacts', 'web');
const BUILD_SCRIPT = path.join(ROOT, 'web-modeler', 'build.mjs');

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface BuildResult {
  metafile: { outputs: Record<string, { imports: { path: string; kind: string }[]; entryPoint?: string; inputs: Record<string, unknown> }> };
  entry: string;
  outdir: string;
}

interface BuildModule {
  buildWebApp(options: { outdir: string; logLevel?: string }): Promise<BuildResult>;
}

/** Builds the web app into a fresh temporary folder (so a stale web-modeler/dist never hides a broken build). */
export async function buildWebAppInto(outdir = mkdtempSync(path.join(tmpdir(), 'web-app-'))): Promise<BuildResult> {
  const { buildWebApp } = (await import(pathToFileURL(BUILD_SCRIPT).href)) as BuildModule;
  return buildWebApp({ outdir, logLevel: 'error' });
}

/** Launches Chromium; without it, skips the suite with a clear message (fails under CI=true). */
export async function launchChromium(ctx: Mocha.Context, suite: string): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) skipOrFail(ctx, suite, `${CHROMIUM_PATH} is missing: install it with 'apt-get install chromium' (.ci/run does)`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface WebApp {
  url: string;
  engine: TestEngine;
  close(): Promise<void>;
}

export interface WebAppOptions {
  /** Turns on the server's HTTP Basic authentication of the REST API. */
  basicAuthUsers?: ReadonlyMap<string, string>;
}

/** Serves the engine on `database` and the built app from `webAppDir` on 127.0.0.1, port 0. */
export async function startWebApp(database: Database, webAppDir: string, options: WebAppOptions = {}): Promise<WebApp> {
  const engine = createTestEngine(database, { webAppDir, basicAuthUsers: options.basicAuthUsers });
  const server: Server = await new Promise((resolve) => {
    const listening = engine.app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    engine,
    async close() {
      await engine.fetchAndLockWaiter.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Saves a full-page screenshot as test-artifacts/web/<name>.png (gitignored). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Collects the page's console errors and uncaught exceptions, for assertions and for failing tests' messages. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return errors;
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

export interface WebSuite {
  readonly app: WebApp;
  readonly browser: Browser;
  /** A fresh page per test (1400×860); closed after it, failing the test on unexpected page errors. */
  readonly page: Page;
}

/** Registers hooks for a browser suite: Chromium, a fresh build, the engine on in-memory PGlite, and a page per test. */
export function useWebApp(suite: string, options: WebAppOptions = {}): WebSuite {
  let browser: Browser | undefined;
  let database: Database | undefined;
  let app: WebApp | undefined;
  let distDir: string | undefined;
  let page: Page | undefined;
  let pageErrors: string[] = [];

  before(async function () {
    this.timeout(60_000);
    browser = await launchChromium(this, suite);
    distDir = (await buildWebAppInto()).outdir;
    database = await openDatabase({});
    app = await startWebApp(database, distDir, options);
  });

  after(async function () {
    await browser?.close();
    await app?.close();
    await database?.close();
    removeDir(distDir);
  });

  beforeEach(async function () {
    page = await browser!.newPage({ viewport: { width: 1400, height: 860 } });
    pageErrors = collectPageErrors(page);
  });

  afterEach(async function () {
    await page?.close();
    // A refused request shows in Chromium's console as "Failed to load resource"; anything else is a bug.
    const unexpected = pageErrors.filter((e) => !e.includes('Failed to load resource'));
    if (unexpected.length && this.currentTest?.state === 'passed') throw new Error(`page errors:\n${unexpected.join('\n')}`);
  });

  return {
    get app() {
      return app!;
    },
    get browser() {
      return browser!;
    },
    get page() {
      return page!;
    },
  };
}
