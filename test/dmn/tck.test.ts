/** Runs the DMN TCK sample (../shared/dmn-tck-sample) through the library entry point and checks the targets. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { duration, FeelDate, FeelDateTime, FeelDuration, FeelTime, parseDate, parseDateTime, parseTime } from 'feelin';
import { evaluateDecision, parseDmn, type DmnModel } from '../../src/index.js';
import { feelEquals } from '../../src/dmn/feel-compiler.js';
import { requireShared } from '../support/shared-files.js';
import { parseXml, type XmlElement } from '../support/xml-tree.js';

interface TckOutcome {
  passed: number;
  failed: string[];
}

const XSD_NUMBERS = new Set(['decimal', 'double', 'float', 'int', 'integer', 'long', 'short']);

/** The value of a TCK `value`/`list`/`component` holder, typed per its xsi:type. */
function readValue(holder: XmlElement): unknown {
  const value = holder.children.find((c) => c.name === 'value');
  if (value) return readScalar(value);
  const list = holder.children.find((c) => c.name === 'list');
  if (list) return list.children.filter((c) => c.name === 'item').map(readValue);
  const components = holder.children.filter((c) => c.name === 'component');
  if (components.length > 0) return Object.fromEntries(components.map((c) => [c.attributes.name, readValue(c)]));
  return null;
}

/** Stands for an expected value feelin cannot represent (negative years throw "not implemented"). */
const UNREADABLE = Symbol('unreadable');

function readScalar(value: XmlElement): unknown {
  try {
    return readTypedScalar(value);
  } catch {
    return UNREADABLE;
  }
}

function readTypedScalar(value: XmlElement): unknown {
  if (value.attributes['xsi:nil'] === 'true') return null;
  const type = (value.attributes['xsi:type'] ?? '').replace(/^xsd?:/, '');
  const text = value.text;
  if (XSD_NUMBERS.has(type)) return Number(text);
  if (type === 'boolean') return text.trim() === 'true';
  if (type === 'date') return parseDate(text.trim());
  if (type === 'dateTime') return parseDateTime(text.trim());
  if (type === 'time') return parseTime(text.trim());
  if (type === 'duration') return duration(text.trim());
  return text;
}

function sameValue(actual: unknown, expected: unknown): boolean {
  if (expected === UNREADABLE) return false;
  if (expected === null) return actual === null || actual === undefined;
  if (typeof expected === 'number') {
    return typeof actual === 'number' && Math.abs(actual - expected) <= 1e-10 * Math.max(1, Math.abs(expected));
  }
  if (expected instanceof FeelDate || expected instanceof FeelDateTime || expected instanceof FeelTime || expected instanceof FeelDuration) {
    return actual !== null && actual !== undefined && (String(actual) === String(expected) || feelEquals(actual, expected));
  }
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => sameValue(actual[i], e));
  }
  if (typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const keys = Object.keys(expected as object);
    return keys.length === Object.keys(actual as object).length
      && keys.every((k) => sameValue((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k]));
  }
  return actual === expected;
}

async function runCase(folder: string, caseName: string, outcome: TckOutcome, details: string[]): Promise<void> {
  const files = readdirSync(folder);
  const modelFile = files.find((f) => f.endsWith('.dmn')) as string;
  const testFiles = files.filter((f) => /-test-\d+\.xml$/.test(f));
  let model: DmnModel | null = null;
  let parseFailure = '';
  try {
    model = await parseDmn(readFileSync(join(folder, modelFile), 'utf8'), modelFile);
  } catch (error) {
    parseFailure = (error as Error).message;
  }
  for (const testFile of testFiles) {
    const root = parseXml(readFileSync(join(folder, testFile), 'utf8'));
    for (const testCase of root.children.filter((c) => c.name === 'testCase')) {
      const id = `${caseName}/${testCase.attributes.id}`;
      const inputs = Object.fromEntries(testCase.children.filter((c) => c.name === 'inputNode').map((n) => [n.attributes.name, readValue(n)]));
      const problems: string[] = [];
      for (const resultNode of testCase.children.filter((c) => c.name === 'resultNode')) {
        const expectError = resultNode.attributes.errorResult === 'true';
        const expectedHolder = resultNode.children.find((c) => c.name === 'expected');
        const expected = expectedHolder ? readValue(expectedHolder) : null;
        const name = resultNode.attributes.name;
        if (!model) {
          if (!expectError) problems.push(`${name}: model does not parse: ${parseFailure}`);
          continue;
        }
        const decision = model.decisions.find((d) => d.name === name || d.variableName === name || d.id === name);
        if (!decision) {
          problems.push(`${name}: no such decision`);
          continue;
        }
        try {
          const { result } = evaluateDecision(model, decision.id, inputs);
          if (expectError ? result !== null : !sameValue(result, expected)) {
            problems.push(`${name}: expected ${expectError ? 'an error or null' : show(expected)} but got ${show(result)}`);
          }
        } catch (error) {
          if (!expectError) problems.push(`${name}: expected ${show(expected)} but failed: ${(error as Error).message}`);
        }
      }
      if (problems.length === 0) outcome.passed += 1;
      else {
        outcome.failed.push(id);
        details.push(`${id}: ${problems.join('; ')}`);
      }
    }
  }
}

function show(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) !== Object.prototype ? String(v) : v));
  } catch {
    return String(value);
  }
}

async function runLevel(root: string, level: string): Promise<TckOutcome & { details: string[] }> {
  const outcome: TckOutcome = { passed: 0, failed: [] };
  const details: string[] = [];
  const levelDir = join(root, level);
  for (const caseName of readdirSync(levelDir).sort()) await runCase(join(levelDir, caseName), caseName, outcome, details);
  console.log(`      ${level}: ${outcome.passed} passed, ${outcome.failed.length} failed${outcome.failed.length ? `: ${outcome.failed.join(' ')}` : ''}`);
  if (process.env.TCK_DETAILS) for (const line of details) console.log(`        ${line}`);
  return { ...outcome, details };
}

describe('DMN TCK sample', function () {
  this.timeout(120_000);

  it('should pass all 116 compliance-level-2 tests', async function () {
    const root = requireShared(this, 'dmn-tck-sample');
    const outcome = await runLevel(root, 'compliance-level-2');
    expect(outcome.passed + outcome.failed.length).to.equal(116);
    expect(outcome.failed, outcome.details.join('\n')).to.deep.equal([]);
  });

  it('should pass at least 200 of the 227 compliance-level-3 sample tests', async function () {
    const root = requireShared(this, 'dmn-tck-sample');
    const outcome = await runLevel(root, 'compliance-level-3');
    expect(outcome.passed + outcome.failed.length).to.equal(227);
    expect(outcome.passed, outcome.details.join('\n')).to.be.at.least(200);
  });
});
