/** The first screen stays small: entry chunk plus its static imports under 300 KB gzipped; the editors load lazily. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { buildWebAppInto, removeDir, type BuildResult } from './support/browser.js';

const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'web-modeler');
const FIRST_SCREEN_LIMIT = 300 * 1024;

type Outputs = BuildResult['metafile']['outputs'];

/** The output files loaded before anything else: `start` and everything it imports statically, transitively. */
function staticClosure(outputs: Outputs, start: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const dependency of outputs[file].imports) if (dependency.kind === 'import-statement') visit(dependency.path);
  };
  visit(start);
  return seen;
}

function gzipped(file: string): number {
  return gzipSync(readFileSync(path.resolve(WEB_DIR, file))).length;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

describe('web/bundle size', function () {
  this.timeout(60_000);
  let build: BuildResult;
  let outputs: Outputs;
  let entry: string;

  before(async function () {
    build = await buildWebAppInto();
    outputs = build.metafile.outputs;
    entry = Object.keys(outputs).find((file) => outputs[file].entryPoint === 'src/main.js')!;
  });

  after(function () {
    removeDir(build?.outdir);
  });

  /** The JavaScript output that holds `input` (a path fragment of a bundled source file). */
  function outputHolding(input: string): string {
    const file = Object.keys(outputs).find((name) => name.endsWith('.js') && Object.keys(outputs[name].inputs).some((source) => source.includes(input)));
    if (!file) throw new Error(`no output bundles ${input}`);
    return file;
  }

  it('should keep the first screen\'s JavaScript under 300 KB gzipped', function () {
    // when
    const files = [...staticClosure(outputs, entry)];
    const total = files.reduce((sum, file) => sum + gzipped(file), 0);

    // then
    console.log(`      first screen: ${files.length} file(s), ${kb(total)} gzipped`);
    expect(total).to.be.below(FIRST_SCREEN_LIMIT);
  });

  it('should put the BPMN and DMN modelers in chunks that load only through dynamic import()', function () {
    // given
    const firstScreen = staticClosure(outputs, entry);
    const lazyStarts = Object.values(outputs).flatMap((output) => output.imports.filter((i) => i.kind === 'dynamic-import').map((i) => i.path));

    for (const source of ['bpmn-js/lib/Modeler.js', 'dmn-js/lib/Modeler.js', 'bpmn-js-properties-panel']) {
      // when
      const chunk = outputHolding(source);

      // then
      expect(firstScreen.has(chunk), `${source} is in the first screen's ${chunk}`).to.equal(false);
      expect(lazyStarts.some((start) => staticClosure(outputs, start).has(chunk)), `${source} is not loaded by any import()`).to.equal(true);
    }
    const modelerPage = outputHolding('src/pages/modeler/index.js');
    const modelerTotal = [...staticClosure(outputs, modelerPage)].filter((file) => !firstScreen.has(file)).reduce((sum, file) => sum + gzipped(file), 0);
    console.log(`      modeler page (lazy, with shared diagram-js chunk): ${kb(modelerTotal)} gzipped`);
  });
});
