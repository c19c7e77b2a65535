/** How much of Camunda's REST API answers: every operation of the reference file, except the resources left out on purpose. */
import { expect } from 'chai';
import { OPENAPI_FILE } from '../support/openapi.js';
import { referenceOperations, type ReferenceOperation } from '../support/reference-operations.js';
import { requireShared } from '../support/shared-files.js';

const label = (operation: ReferenceOperation) => `${operation.method.toUpperCase()} ${operation.path}`;

describe('REST API coverage of Camunda\'s reference file', () => {
  let operations: ReferenceOperation[];

  before(function () {
    operations = referenceOperations(requireShared(this, OPENAPI_FILE));
  });

  it('should answer every operation outside the migration, modification, batch, authorization, tenant and history-cleanup resources', () => {
    const answered = operations.filter((operation) => operation.answered);
    const leftOut = operations.filter((operation) => !operation.answered && operation.leftOutAs);
    const byResource = new Map<string, number>();
    for (const operation of leftOut) byResource.set(operation.leftOutAs!, (byResource.get(operation.leftOutAs!) ?? 0) + 1);
    console.log(`      answering ${answered.length} of ${operations.length} operations; ${leftOut.length} left out: ${[...byResource].map(([resource, count]) => `${resource} ${count}`).join(', ')}`);

    const unanswered = operations.filter((operation) => !operation.answered && !operation.leftOutAs).map(label);
    expect(unanswered, 'operations that should answer but are 404').to.deep.equal([]);
  });

  it('should not answer an operation of a resource left out, so the README\'s list stays true', () => {
    const answeredAnyway = operations.filter((operation) => operation.answered && operation.leftOutAs).map(label);
    expect(answeredAnyway, 'answered although listed as left out: move them out of the left-out list').to.deep.equal([]);
  });
});
