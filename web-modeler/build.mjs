/** Bundles web-modeler/src into web-modeler/dist with esbuild: ESM code splitting, hashed assets, the bpmnlint config compiled in. */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export const DEFAULT_OUTDIR = path.join(here, 'dist');

/** Fonts and images referenced from CSS become hashed files next to it; no CDN, nothing fetched at run time. */
const ASSET_LOADERS = { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file', '.svg': 'file', '.png': 'file' };

/** `import config from 'virtual:bpmnlint-config'` yields web-modeler/.bpmnlintrc compiled with bpmnlint's own compiler. */
function bpmnlintConfigPlugin() {
  return {
    name: 'bpmnlint-config',
    setup(build) {
      build.onResolve({ filter: /^virtual:bpmnlint-config$/ }, () => ({ path: 'bpmnlint-config', namespace: 'bpmnlint' }));
      build.onLoad({ filter: /.*/, namespace: 'bpmnlint' }, async () => {
        const compileConfig = require('bpmnlint/lib/support/compile-config');
        const config = JSON.parse(readFileSync(path.join(here, '.bpmnlintrc'), 'utf8'));
        return { contents: await compileConfig(config), loader: 'js', resolveDir: here };
      });
    },
  };
}

/** esbuild names outputs relative to `absWorkingDir` (this folder), never to the directory the build was started from. */
function outputName(metafile, outdir, entryPoint) {
  const [file] = Object.entries(metafile.outputs).find(([, out]) => out.entryPoint === entryPoint) ?? [];
  if (!file) throw new Error(`build.mjs: no output for ${entryPoint}`);
  return path.relative(outdir, path.resolve(here, file)).split(path.sep).join('/');
}

/** Builds the app into `outdir`; returns esbuild's metafile of the JavaScript build and the entry script's path. */
export async function buildWebApp({ outdir = DEFAULT_OUTDIR, minify = true, logLevel = 'warning' } = {}) {
  rmSync(outdir, { recursive: true, force: true });
  const assets = path.join(outdir, 'assets');
  const common = { bundle: true, minify, logLevel, absWorkingDir: here, outdir: assets, assetNames: '[name]-[hash]', loader: ASSET_LOADERS, metafile: true, legalComments: 'linked' };

  // Stylesheets first: the JavaScript learns their hashed names through `define`, and loads the editors' CSS with them.
  const styles = { app: 'src/styles/app.css', modeler: 'src/styles/modeler.css', decisions: 'src/styles/decisions.css' };
  const css = await esbuild.build({ ...common, entryPoints: Object.values(styles), entryNames: '[name]-[hash]' });
  const cssName = (key) => outputName(css.metafile, assets, styles[key]);

  const js = await esbuild.build({
    ...common,
    entryPoints: ['src/main.js'],
    entryNames: '[name]-[hash]',
    chunkNames: '[name]-[hash]',
    format: 'esm',
    splitting: true,
    target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
    sourcemap: 'linked',
    define: {
      __MODELER_CSS__: JSON.stringify(cssName('modeler')),
      __DECISIONS_CSS__: JSON.stringify(cssName('decisions')),
      'process.env.NODE_ENV': '"production"',
    },
    plugins: [bpmnlintConfigPlugin()],
  });
  const entry = outputName(js.metafile, assets, 'src/main.js');

  const html = readFileSync(path.join(here, 'src', 'index.html'), 'utf8')
    .replace('<!-- styles -->', `<link rel="stylesheet" href="/assets/${cssName('app')}">`)
    .replace('<!-- script -->', `<script type="module" src="/assets/${entry}"></script>`);
  mkdirSync(outdir, { recursive: true });
  writeFileSync(path.join(outdir, 'index.html'), html);
  return { metafile: js.metafile, entry: path.join(assets, entry), outdir };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const started = Date.now();
  const { entry } = await buildWebApp();
  process.stdout.write(`web-modeler: built ${path.relative(process.cwd(), entry)} in ${Date.now() - started} ms\n`);
}
