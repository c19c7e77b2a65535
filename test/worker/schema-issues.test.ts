/** Tests for the one-line description of a failed schema check. */
import { expect } from 'chai';
import { z } from 'zod';
import { describeIssues } from '../../src/worker/schema-issues.js';

function issuesOf(schema: z.ZodType, value: unknown) {
  const result = schema.safeParse(value);
  if (result.success) throw new Error('expected the check to fail');
  return result.error.issues;
}

describe('worker/schema-issues', () => {
  it('should name each path with its issue', () => {
    // given
    const schema = z.object({ memberId: z.string(), address: z.object({ zip: z.string() }), items: z.array(z.object({ qty: z.number() })) });

    // when
    const text = describeIssues(issuesOf(schema, { memberId: 42, address: {}, items: [{ qty: 1 }, { qty: 'x' }] }));

    // then
    expect(text).to.equal(
      'memberId: Invalid input: expected string, received number; address.zip: Invalid input: expected string, received undefined; items[1].qty: Invalid input: expected number, received string',
    );
  });

  it('should never quote the offending values', () => {
    // given: values that could be patient data
    const schema = z.object({ diagnosis: z.enum(['a', 'b']), ssn: z.string().regex(/^\d{3}$/) });

    // when
    const text = describeIssues(issuesOf(schema, { diagnosis: 'flu of patient Doe', ssn: 'Doe-123456' }));

    // then
    expect(text).to.include('diagnosis: ').and.include('ssn: ');
    expect(text).not.to.include('Doe');
  });

  it('should call an issue of the whole value (root)', () => {
    expect(describeIssues(issuesOf(z.object({}), 'text'))).to.equal('(root): Invalid input: expected object, received string');
  });

  it('should show ten issues and count the rest', () => {
    // given
    const schema = z.object(Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`v${i}`, z.string()])));

    // when
    const text = describeIssues(issuesOf(schema, {}));

    // then
    expect(text.split('; ')).to.have.length(11);
    expect(text).to.match(/; and 2 more$/);
  });
});
