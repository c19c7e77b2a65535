/** The README's configuration table names every environment variable load-config reads, so it stays complete. */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `env.NAME`, `env['NAME']` and helper calls such as `integer(env, 'NAME', …)` in the source. */
function variablesRead(source: string): Set<string> {
  const names = new Set<string>();
  for (const pattern of [/\benv\.([A-Z][A-Z0-9_]+)/g, /\benv\[['"]([A-Z][A-Z0-9_]+)['"]\]/g, /\(env, '([A-Z][A-Z0-9_]+)'/g]) {
    for (const match of source.matchAll(pattern)) names.add(match[1]!);
  }
  return names;
}

/** The backticked names in the first cell of each row of the `## Configuration` table. */
function variablesDocumented(readme: string): Set<string> {
  const section = readme.split(/^## Configuration$/m)[1]!.split(/^## /m)[0]!;
  const names = new Set<string>();
  for (const line of section.split('\n').filter((text) => text.startsWith('| `'))) {
    for (const match of line.split('|')[1]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)) names.add(match[1]!);
  }
  return names;
}

describe('README: the configuration table', () => {
  it('should have a row for every environment variable src/config/load-config.ts reads', () => {
    const read = variablesRead(readFileSync(path.join(root, 'src', 'config', 'load-config.ts'), 'utf8'));
    const documented = variablesDocumented(readFileSync(path.join(root, 'README.md'), 'utf8'));

    expect(read.size).to.be.greaterThan(20);
    expect([...read].filter((name) => !documented.has(name)).sort(), 'variables without a row').to.deep.equal([]);
  });
});
