/** Differential: evaluating a decision table, with all inputs and with one missing, and the decision history. */
import { describeAgainstOperaton } from './engine-pair.js';

describeAgainstOperaton('decision evaluation', (use) => {
  before(async () => {
    await use().ensureDeployed('dmn/differential-dish.dmn');
  });

  it('should evaluate a decision table as Operaton does', async () => {
    await use().expectSame('POST', '/decision-definition/key/differential-dish/evaluate', { variables: { season: { value: 'Winter', type: 'String' }, guestCount: { value: 4, type: 'Integer' } } });
  });

  it('should answer 200 with no match when an input variable is missing, as Operaton does', async () => {
    await use().expectSame('POST', '/decision-definition/key/differential-dish/evaluate', { variables: { season: { value: 'Winter', type: 'String' } } });
  });

  it('should record the evaluations in the decision history as Operaton does', async () => {
    const query = '/history/decision-instance?decisionDefinitionKey=differential-dish&sortBy=evaluationTime&sortOrder=asc';
    // Unordered: two evaluations may share a millisecond.
    await use().expectSame('GET', query, undefined, { unordered: true });
    await use().expectSame('GET', `${query}&includeInputs=true&includeOutputs=true`, undefined, { unordered: true });
  });
});
