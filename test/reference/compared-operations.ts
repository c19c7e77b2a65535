/**
 * Which REST operations of Camunda's reference file the differential suite compared on both engines: every compared
 * call is matched to the reference file's path templates, so the answered operations no suite compares stand out.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OPENAPI_FILE } from '../support/openapi.js';
import { referenceOperations, type ReferenceOperation } from '../support/reference-operations.js';
import { sharedPath } from '../support/shared-files.js';

const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = resolve(here, '..', '..');
const COVERAGE_FILE = join(projectRoot, 'test-artifacts', 'differential-coverage.txt');

const calls = new Set<string>();

/** Notes one call both engines answered and the suite compared, e.g. `GET /task/4711/form?x=1`. */
export function noteComparedCall(method: string, path: string): void {
  calls.add(`${method.toLowerCase()} ${path.split('?')[0]}`);
}

interface Template {
  key: string;
  method: string;
  pattern: RegExp;
  parameters: number;
}

function templatesOf(operations: ReferenceOperation[]): Template[] {
  return operations
    .map((operation) => ({
      key: `${operation.method} ${operation.path}`,
      method: operation.method,
      pattern: new RegExp(`^${operation.path.split(/\{[^}]+\}/).map((literal) => literal.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('[^/]+')}$`),
      parameters: (operation.path.match(/\{/g) ?? []).length,
    }))
    // `/task/count` is its own operation, not `/task/{id}` with id "count": literal segments win.
    .sort((a, b) => a.parameters - b.parameters);
}

export interface ComparedCoverage {
  /** Answered operations some differential test compared, as `get /task/{id}/form`. */
  compared: string[];
  /** Answered operations no differential test compared. */
  notCompared: string[];
}

/** Matches the calls noted so far to the reference operations that answer. */
export function comparedCoverage(operations: ReferenceOperation[]): ComparedCoverage {
  const templates = templatesOf(operations.filter((operation) => operation.answered));
  const compared = new Set<string>();
  for (const call of calls) {
    const [method, path] = call.split(' ');
    const template = templates.find((candidate) => candidate.method === method && candidate.pattern.test(decodeURI(path)));
    if (template) compared.add(template.key);
  }
  const answered = templates.map((template) => template.key).sort();
  return { compared: answered.filter((key) => compared.has(key)), notCompared: answered.filter((key) => !compared.has(key)) };
}

/** Writes the coverage as a plain list a reviewer can read, under test-artifacts/. */
export function writeCoverage(file: string, coverage: ComparedCoverage): void {
  mkdirSync(dirname(file), { recursive: true });
  const lines = [
    `# compared on both engines: ${coverage.compared.length}; answered but not compared: ${coverage.notCompared.length}`,
    ...coverage.notCompared.map((key) => `not compared: ${key}`),
    ...coverage.compared.map((key) => `compared: ${key}`),
  ];
  writeFileSync(file, `${lines.join('\n')}\n`);
}

function filesOf(suite: Mocha.Suite, into: Set<string>): Set<string> {
  if (suite.file) into.add(resolve(suite.file));
  for (const child of suite.suites) filesOf(child, into);
  return into;
}

/**
 * After a run that loaded every differential suite file: writes which answered operations were compared and fails
 * when one was not. A focused run of some differential files checks nothing.
 */
export function checkComparedCoverage(root: Mocha.Suite): void {
  const openapi = sharedPath(OPENAPI_FILE);
  if (openapi === undefined) return;
  const loaded = filesOf(root, new Set());
  const suiteFiles = readdirSync(here).filter((name) => name.endsWith('.test.ts')).map((name) => join(here, name));
  if (suiteFiles.some((file) => !loaded.has(file))) return;
  const coverage = comparedCoverage(referenceOperations(openapi));
  writeCoverage(COVERAGE_FILE, coverage);
  console.log(`      differential suite: ${coverage.compared.length} answered operations compared on both engines, ${coverage.notCompared.length} not (${relative(projectRoot, COVERAGE_FILE)})`);
  if (coverage.notCompared.length > 0) {
    throw new Error(`every operation that answers is compared with Operaton by some differential test; these are not:\n${coverage.notCompared.join('\n')}`);
  }
}
