/** Differential: task, process instance and execution variables of every type a Camunda client sends, and the task, instance and execution operations around them. */
import { describeAgainstOperaton, type Ids } from './engine-pair.js';

const KEY = 'differential-variables';
const WAIT_KEY = 'differential-variables-wait';

/** One value of each type a Camunda client (camunda-external-task-client-js, the Java client, Tasklist) sends. */
const TYPED_VALUES = {
  name: { value: 'Ada', type: 'String' },
  count: { value: 3, type: 'Integer' },
  total: { value: 12345678901, type: 'Long' },
  rate: { value: 0.25, type: 'Double' },
  approved: { value: true, type: 'Boolean' },
  payload: { value: '{"a":1,"b":[true,null]}', type: 'Json' },
  order: { value: '{"item":"book","quantity":2}', type: 'Object', valueInfo: { objectTypeName: 'java.util.LinkedHashMap', serializationDataFormat: 'application/json' } },
  blob: { value: Buffer.from('variables as bytes').toString('base64'), type: 'Bytes' },
  nothing: { value: null, type: 'Null' },
  small: { value: -12, type: 'Short' },
  due: { value: '2026-03-04T05:06:07.089+0000', type: 'Date' },
  scan: { value: Buffer.from('%PDF-1.4 scan').toString('base64'), type: 'File', valueInfo: { filename: 'scan.pdf', mimeType: 'application/pdf', encoding: 'UTF-8' } },
};

/** The Java bean properties of Spin's JSON node for `text`, as Operaton's JSON mapper writes them (see intended-differences.ts). */
function spinNodeOf(text: string) {
  const parsed: unknown = JSON.parse(text);
  const nodeType = parsed === null ? 'NULL' : Array.isArray(parsed) ? 'ARRAY' : (typeof parsed).toUpperCase();
  const is = (type: string) => nodeType === type;
  return { array: is('ARRAY'), boolean: is('BOOLEAN'), dataFormatName: 'application/json', nodeType, null: is('NULL'), number: is('NUMBER'), object: is('OBJECT'), string: is('STRING'), value: !is('ARRAY') && !is('OBJECT') };
}

function withSpinNodes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withSpinNodes);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  if (object.type === 'Json' && typeof object.value === 'string') return { ...object, value: spinNodeOf(object.value) };
  return Object.fromEntries(Object.entries(object).map(([key, item]) => [key, withSpinNodes(item)]));
}

/**
 * For reads that deserialize values: Operaton answers a Json value as its Spin node's bean properties, which carry
 * the node's type but not its content; our JSON text is compared by the node it parses to.
 */
const DESERIALIZED = { adjust: (body: unknown, side: 'ours' | 'operaton') => (side === 'ours' ? withSpinNodes(body) : body) };

describeAgainstOperaton('task and instance variables', (use) => {
  before(async () => {
    await use().ensureDeployed('bpmn/differential-variables.bpmn');
  });

  describe('task variables', () => {
    before(async () => {
      await use().expectSame('POST', `/process-definition/key/${KEY}/start`, { businessKey: 'VARIABLES-1' }, { remember: { instance: (answer) => answer.body.id } });
      await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.instance}`, undefined, { remember: { task: (answer) => answer.body[0].id } });
    });

    it('should set a variable of each type through the task and answer them as Operaton does', async () => {
      // when
      for (const [name, value] of Object.entries(TYPED_VALUES)) {
        await use().expectSame('PUT', (ids) => `/task/${ids.task}/variables/${name}`, value);
      }

      // then: the task sees them, and they live on the instance, where the task's execution found no variable of that name
      await use().expectSame('GET', (ids) => `/task/${ids.task}/variables`, undefined, DESERIALIZED);
      await use().expectSame('GET', (ids) => `/task/${ids.task}/variables?deserializeValues=false`);
      await use().expectSame('GET', (ids) => `/process-instance/${ids.instance}/variables?deserializeValues=false`);
      for (const name of Object.keys(TYPED_VALUES)) {
        await use().expectSame('GET', (ids) => `/task/${ids.task}/variables/${name}`, undefined, DESERIALIZED);
      }
      await use().expectSame('GET', (ids) => `/task/${ids.task}/variables/order?deserializeValue=false`);
      await use().expectSame('GET', (ids) => `/task/${ids.task}/variables/payload?deserializeValue=false`);
    });

    it('should answer a Bytes variable\'s content, and refuse it for other types, as Operaton does', async () => {
      await use().expectSame('GET', (ids) => `/task/${ids.task}/variables/blob/data`);
      await use().expectSame('GET', (ids) => `/task/${ids.task}/variables/scan/data`);
      await use().expectSame('GET', (ids) => `/task/${ids.task}/variables/name/data`);
      await use().expectSame('GET', (ids) => `/task/${ids.task}/variables/unknown/data`);
    });

    it('should modify and delete task variables in one call, and delete one, as Operaton does', async () => {
      await use().expectSame('POST', (ids) => `/task/${ids.task}/variables`, {
        modifications: { count: { value: 4, type: 'Integer' }, added: { value: 'new', type: 'String' } },
        deletions: ['rate', 'unknown'],
      });
      await use().expectSame('DELETE', (ids) => `/task/${ids.task}/variables/nothing`);
      await use().expectSame('DELETE', (ids) => `/task/${ids.task}/variables/unknown`);
      await use().expectSame('GET', (ids) => `/task/${ids.task}/variables`, undefined, DESERIALIZED);
      await use().expectSame('GET', (ids) => `/process-instance/${ids.instance}/variables`, undefined, DESERIALIZED);
    });

    it('should keep local variables on the task, apart from the instance\'s, as Operaton does', async () => {
      // when
      await use().expectSame('PUT', (ids) => `/task/${ids.task}/localVariables/comment`, { value: 'checked', type: 'String' });
      await use().expectSame('POST', (ids) => `/task/${ids.task}/localVariables`, {
        modifications: { score: { value: 7.5, type: 'Double' }, name: { value: 'Local Ada', type: 'String' }, details: { value: '{"pages":3}', type: 'Json' } },
        deletions: ['comment'],
      });

      // then
      await use().expectSame('GET', (ids) => `/task/${ids.task}/localVariables`, undefined, DESERIALIZED);
      await use().expectSame('GET', (ids) => `/task/${ids.task}/localVariables?deserializeValues=false`);
      await use().expectSame('GET', (ids) => `/task/${ids.task}/localVariables/score`);
      await use().expectSame('GET', (ids) => `/task/${ids.task}/localVariables/details?deserializeValue=false`);
      await use().expectSame('GET', (ids) => `/task/${ids.task}/variables/name`);
      await use().expectSame('GET', (ids) => `/process-instance/${ids.instance}/variables/name`);

      // when one is deleted
      await use().expectSame('DELETE', (ids) => `/task/${ids.task}/localVariables/name`);
      await use().expectSame('GET', (ids) => `/task/${ids.task}/localVariables`, undefined, DESERIALIZED);
      await use().expectSame('GET', (ids) => `/task/${ids.task}/variables/name`);
    });

    it('should answer unknown tasks and unknown variables with Operaton\'s errors', async () => {
      await use().expectSame('GET', '/task/no-such-task/variables');
      await use().expectSame('GET', '/task/no-such-task/variables/name');
      await use().expectSame('GET', '/task/no-such-task/localVariables');
      await use().expectSame('GET', '/task/no-such-task/localVariables/name');
      await use().expectSame('GET', (ids) => `/task/${ids.task}/variables/unknown`);
      await use().expectSame('GET', (ids) => `/task/${ids.task}/localVariables/unknown`);
      await use().expectSame('PUT', '/task/no-such-task/variables/name', { value: 'x', type: 'String' });
      await use().expectSame('POST', '/task/no-such-task/variables', { modifications: { name: { value: 'x', type: 'String' } } });
      await use().expectSame('POST', '/task/no-such-task/localVariables', { modifications: { name: { value: 'x', type: 'String' } } });
      await use().expectSame('DELETE', '/task/no-such-task/variables/name');
      await use().expectSame('DELETE', '/task/no-such-task/localVariables/name');
    });

    it('should refuse values that do not fit their type as Operaton does', async () => {
      await use().expectSame('PUT', (ids) => `/task/${ids.task}/variables/count`, { value: 'three', type: 'Integer' });
      await use().expectSame('PUT', (ids) => `/task/${ids.task}/variables/count`, { value: 3, type: 'NoSuchType' });
      await use().expectSame('POST', (ids) => `/task/${ids.task}/variables`, { modifications: { approved: { value: 'perhaps', type: 'Boolean' } } });
      await use().expectSame('POST', (ids) => `/task/${ids.task}/localVariables`, { modifications: { score: { value: 'high', type: 'Double' } } });
      await use().expectSame('GET', (ids) => `/task/${ids.task}/variables?deserializeValues=false`);
    });
  });

  describe('task assignment and count', () => {
    before(async () => {
      await use().expectSame('POST', `/process-definition/key/${KEY}/start`, { businessKey: 'VARIABLES-2' }, { remember: { assigned: (answer) => answer.body.id } });
      await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.assigned}`, undefined, { remember: { assignedTask: (answer) => answer.body[0].id } });
    });

    it('should set, replace and clear a task\'s assignee as Operaton does', async () => {
      await use().expectSame('POST', (ids) => `/task/${ids.assignedTask}/assignee`, { userId: 'variables-ada' });
      await use().expectSame('GET', (ids) => `/task/${ids.assignedTask}`);
      await use().expectSame('POST', (ids) => `/task/${ids.assignedTask}/assignee`, { userId: 'variables-bob' });
      await use().expectSame('GET', (ids) => `/task/${ids.assignedTask}`);
      await use().expectSame('POST', (ids) => `/task/${ids.assignedTask}/unclaim`);
      await use().expectSame('GET', (ids) => `/task/${ids.assignedTask}`);
      await use().expectSame('POST', (ids) => `/task/${ids.assignedTask}/assignee`, { userId: 'variables-ada' });
      await use().expectSame('POST', (ids) => `/task/${ids.assignedTask}/assignee`, { userId: null });
      await use().expectSame('GET', (ids) => `/task/${ids.assignedTask}`);
      // One command removes the old assignee's link and adds the new one's at the same time: their order is not defined.
      await use().expectSame('GET', (ids) => `/history/identity-link-log?taskId=${ids.assignedTask}`, undefined, { unordered: true });
    });

    it('should answer assignment of unknown tasks as Operaton does', async () => {
      await use().expectSame('POST', '/task/no-such-task/assignee', { userId: 'variables-ada' });
      await use().expectSame('POST', '/task/no-such-task/claim', { userId: 'variables-ada' });
      await use().expectSame('POST', '/task/no-such-task/unclaim');
    });

    it('should count this suite\'s tasks by a POST query as Operaton does', async () => {
      await use().expectSame('POST', (ids) => `/task/${ids.assignedTask}/assignee`, { userId: 'variables-ada' });
      await use().expectSame('POST', '/task/count', { processDefinitionKey: KEY });
      await use().expectSame('POST', '/task/count', { processDefinitionKey: KEY, assignee: 'variables-ada' });
      await use().expectSame('POST', '/task/count', { processDefinitionKey: KEY, unassigned: true });
      await use().expectSame('POST', '/task/count', { processDefinitionKey: KEY, candidateGroup: 'variables-clerks' });
      await use().expectSame('POST', '/task/count', (ids: Ids) => ({ processInstanceId: ids.assigned, taskDefinitionKey: 'Task_Fill' }));
      await use().expectSame('POST', '/task/count', { processDefinitionKey: 'no-such-key' });
    });

    it('should find this suite\'s tasks by their instance\'s and their own variables as Operaton does', async () => {
      await use().expectSame('POST', '/task/count', { processDefinitionKey: KEY, processVariables: [{ name: 'count', operator: 'eq', value: 4 }] });
      await use().expectSame('POST', '/task/count', { processDefinitionKey: KEY, taskVariables: [{ name: 'score', operator: 'gt', value: 7 }] });
      // A task's local variable is no process variable, and an instance's variable no task variable.
      await use().expectSame('POST', '/task/count', { processDefinitionKey: KEY, processVariables: [{ name: 'score', operator: 'eq', value: 7.5 }] });
      await use().expectSame('POST', '/task/count', { processDefinitionKey: KEY, taskVariables: [{ name: 'count', operator: 'eq', value: 4 }] });
      await use().expectSame('POST', '/task', { processDefinitionKey: KEY, processVariables: [{ name: 'NAME', operator: 'like', value: 'ad%' }], variableNamesIgnoreCase: true, variableValuesIgnoreCase: true });
      await use().expectSame('GET', `/task/count?processDefinitionKey=${KEY}&processVariables=name_eq_Ada&taskVariables=score_neq_1`);
      await use().expectSame('POST', '/task/count', { processDefinitionKey: KEY, taskVariables: [{ name: 'score', operator: 'about', value: 7 }] });
    });
  });

  describe('process instances', () => {
    before(async () => {
      await use().expectSame('POST', `/process-definition/key/${KEY}/start`, { businessKey: 'VARIABLES-3', variables: { region: { value: 'north', type: 'String' }, blob: TYPED_VALUES.blob } }, { remember: { third: (answer) => answer.body.id } });
    });

    it('should query and count this suite\'s instances by a POST query as Operaton does', async () => {
      await use().expectSame('POST', '/process-instance', { processDefinitionKey: KEY, sorting: [{ sortBy: 'businessKey', sortOrder: 'asc' }] });
      await use().expectSame('POST', '/process-instance?firstResult=1&maxResults=1', { processDefinitionKey: KEY, sorting: [{ sortBy: 'businessKey', sortOrder: 'desc' }] });
      await use().expectSame('POST', '/process-instance', (ids: Ids) => ({ processInstanceIds: [ids.instance, ids.third] }), { unordered: true });
      await use().expectSame('POST', '/process-instance', { processDefinitionKey: KEY, businessKeyLike: 'VARIABLES-%' }, { unordered: true });
      await use().expectSame('POST', '/process-instance/count', { processDefinitionKey: KEY });
      await use().expectSame('POST', '/process-instance/count', { processDefinitionKey: KEY, businessKey: 'VARIABLES-3' });
      await use().expectSame('POST', '/process-instance/count', { processDefinitionKey: KEY, activityIdIn: ['Task_Fill'] });
    });

    it('should find this suite\'s instances by their variables\' values, typed as the query sends them, as Operaton does', async () => {
      const byVariables = (variables: unknown[], more: Record<string, unknown> = {}) => ({ processDefinitionKey: KEY, variables, ...more });
      await use().expectSame('POST', '/process-instance', byVariables([{ name: 'region', operator: 'eq', value: 'north' }]));
      await use().expectSame('POST', '/process-instance', byVariables([{ name: 'count', operator: 'gteq', value: 4 }, { name: 'approved', operator: 'eq', value: true }]));
      await use().expectSame('POST', '/process-instance/count', byVariables([{ name: 'total', operator: 'gt', value: 12345678900 }]));
      await use().expectSame('POST', '/process-instance/count', byVariables([{ name: 'count', operator: 'eq', value: '4' }]));
      await use().expectSame('POST', '/process-instance/count', byVariables([{ name: 'name', operator: 'like', value: 'A%' }, { name: 'rate', operator: 'lt', value: 1 }]));
      // A task's local variable counts as one of its instance's.
      await use().expectSame('POST', '/process-instance/count', byVariables([{ name: 'score', operator: 'eq', value: 7.5 }]));
      await use().expectSame('POST', '/process-instance', byVariables([{ name: 'REGION', operator: 'eq', value: 'NORTH' }], { variableNamesIgnoreCase: true, variableValuesIgnoreCase: true }));
      await use().expectSame('GET', `/process-instance?processDefinitionKey=${KEY}&variables=region_eq_north`);
      await use().expectSame('GET', `/process-instance/count?processDefinitionKey=${KEY}&variables=count_eq_4`);
      await use().expectSame('POST', '/process-instance/count', byVariables([{ name: 'region', operator: 'near', value: 'north' }]));
    });

    it('should let `neq` hold for values of another type, and refuse booleans and null in ordering comparisons, as Operaton does', async () => {
      const byVariables = (variables: unknown[]) => ({ processDefinitionKey: KEY, variables });
      await use().expectSame('POST', '/process-instance', byVariables([{ name: 'count', operator: 'neq', value: '4' }]));
      await use().expectSame('POST', '/process-instance', byVariables([{ name: 'count', operator: 'neq', value: 4 }]));
      await use().expectSame('POST', '/process-instance', byVariables([{ name: 'region', operator: 'neq', value: null }]));
      await use().expectSame('GET', `/process-instance/count?processDefinitionKey=${KEY}&variables=count_neq_4`);
      await use().expectSame('POST', '/variable-instance/count', (ids: Ids) => ({ processInstanceIdIn: [ids.instance, ids.third], variableValues: [{ name: 'approved', operator: 'neq', value: 'true' }] }));
      await use().expectSame('POST', '/process-instance/count', byVariables([{ name: 'count', operator: 'gt', value: true }]));
      await use().expectSame('POST', '/process-instance/count', byVariables([{ name: 'count', operator: 'lteq', value: null }]));
      await use().expectSame('POST', '/variable-instance/count', { variableValues: [{ name: 'count', operator: 'lt', value: false }] });
      await use().expectSame('POST', '/task/count', { processVariables: [{ name: 'count', operator: 'gteq', value: null }] });
      await use().expectSame('POST', '/process-instance/count', byVariables([{ name: 'region', operator: 'like', value: true }]));
    });

    it('should delete an instance variable as Operaton does', async () => {
      await use().expectSame('DELETE', (ids) => `/process-instance/${ids.third}/variables/region`);
      await use().expectSame('DELETE', (ids) => `/process-instance/${ids.third}/variables/unknown`);
      await use().expectSame('GET', (ids) => `/process-instance/${ids.third}/variables`);
      await use().expectSame('DELETE', '/process-instance/no-such-instance/variables/region');
    });

    it('should suspend and activate one instance, and refuse changes to its tasks meanwhile, as Operaton does', async () => {
      // given
      await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.third}`, undefined, { remember: { thirdTask: (answer) => answer.body[0].id } });

      // when
      await use().expectSame('PUT', (ids) => `/process-instance/${ids.third}/suspended`, { suspended: true });

      // then
      await use().expectSame('GET', (ids) => `/process-instance/${ids.third}`);
      await use().expectSame('GET', (ids) => `/task/${ids.thirdTask}`);
      await use().expectSame('POST', '/process-instance/count', { processDefinitionKey: KEY, suspended: true });
      await use().expectSame('POST', (ids) => `/task/${ids.thirdTask}/complete`, {});
      await use().expectSame('POST', (ids) => `/task/${ids.thirdTask}/claim`, { userId: 'variables-ada' });
      await use().expectSame('POST', (ids) => `/task/${ids.thirdTask}/assignee`, { userId: 'variables-ada' });
      await use().expectSame('POST', (ids) => `/task/${ids.thirdTask}/unclaim`);
      await use().expectSame('PUT', (ids) => `/task/${ids.thirdTask}/variables/whileSuspended`, { value: 1, type: 'Integer' });
      await use().expectSame('POST', (ids) => `/process-instance/${ids.third}/variables`, { modifications: { alsoWhileSuspended: { value: 2, type: 'Integer' } } });
      await use().expectSame('GET', (ids) => `/process-instance/${ids.third}/variables?deserializeValues=false`);

      // when activated again
      await use().expectSame('PUT', (ids) => `/process-instance/${ids.third}/suspended`, { suspended: false });
      await use().expectSame('GET', (ids) => `/process-instance/${ids.third}`);
      await use().expectSame('PUT', '/process-instance/no-such-instance/suspended', { suspended: true });
    });

    it('should suspend only the instances whose variables match a bulk suspension\'s query, as Operaton does', async () => {
      const matching = { processDefinitionKey: KEY, variables: [{ name: 'count', operator: 'eq', value: 4 }] };
      await use().expectSame('PUT', '/process-instance/suspended', { suspended: true, processInstanceQuery: matching });
      await use().expectSame('POST', '/process-instance', { processDefinitionKey: KEY, suspended: true });
      await use().expectSame('PUT', '/process-instance/suspended', { suspended: false, processInstanceQuery: matching });
      await use().expectSame('POST', '/process-instance/count', { processDefinitionKey: KEY, suspended: true });
    });
  });

  describe('executions', () => {
    before(async () => {
      await use().expectSame('POST', `/process-definition/key/${WAIT_KEY}/start`, { businessKey: 'VARIABLES-WAIT' }, { remember: { waiting: (answer) => answer.body.id } });
      await use().expectSame('GET', (ids) => `/execution?processInstanceId=${ids.waiting}&activityId=Receive_Wait`, undefined, { remember: { receiving: (answer) => answer.body[0].id } });
    });

    it('should query and count this suite\'s executions by a POST query as Operaton does', async () => {
      await use().expectSame('POST', '/execution', { processDefinitionKey: WAIT_KEY }, { unordered: true });
      await use().expectSame('POST', '/execution', (ids: Ids) => ({ processInstanceId: ids.waiting, activityId: 'Receive_Wait' }));
      await use().expectSame('POST', '/execution', { processDefinitionKey: WAIT_KEY, sorting: [{ sortBy: 'instanceId', sortOrder: 'asc' }] }, { unordered: true });
      await use().expectSame('POST', '/execution/count', { processDefinitionKey: WAIT_KEY });
      await use().expectSame('POST', '/execution/count', { processDefinitionKey: WAIT_KEY, activityId: 'Task_Side' });
      await use().expectSame('POST', '/execution/count', { businessKey: 'VARIABLES-WAIT' });
    });

    it('should keep local variables of each type on an execution and answer a Bytes one\'s content, as Operaton does', async () => {
      // when
      await use().expectSame('POST', (ids) => `/execution/${ids.receiving}/localVariables`, { modifications: TYPED_VALUES });
      await use().expectSame('POST', (ids) => `/execution/${ids.receiving}/localVariables`, { modifications: { name: { value: 'Grace', type: 'String' } }, deletions: ['nothing'] });

      // then
      await use().expectSame('GET', (ids) => `/execution/${ids.receiving}/localVariables?deserializeValues=false`);
      await use().expectSame('GET', (ids) => `/execution/${ids.receiving}/localVariables/blob/data`);
      await use().expectSame('GET', (ids) => `/execution/${ids.receiving}/localVariables/name/data`);
      await use().expectSame('GET', (ids) => `/process-instance/${ids.waiting}/variables`);

      // when one is deleted
      await use().expectSame('DELETE', (ids) => `/execution/${ids.receiving}/localVariables/payload`);
      await use().expectSame('DELETE', (ids) => `/execution/${ids.receiving}/localVariables/unknown`);
      await use().expectSame('GET', (ids) => `/execution/${ids.receiving}/localVariables`);
    });

    it('should find executions, tasks and instances by the variables of their own scope or of their instance, as Operaton does', async () => {
      // given: besides the receiving execution's local variables, an instance variable and one of the side task
      await use().expectSame('PUT', (ids) => `/process-instance/${ids.waiting}/variables/region`, { value: 'east', type: 'String' });
      await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.waiting}&taskDefinitionKey=Task_Side`, undefined, { remember: { sideTask: (answer) => answer.body[0].id } });
      await use().expectSame('PUT', (ids) => `/task/${ids.sideTask}/localVariables/note`, { value: 'side', type: 'String' });
      const inWaiting = (more: Record<string, unknown>) => (ids: Ids) => ({ processInstanceId: ids.waiting, ...more });

      // then: an execution's variables are its own, with those of the tasks it executes
      await use().expectSame('POST', '/execution', inWaiting({ variables: [{ name: 'count', operator: 'eq', value: 3 }] }));
      await use().expectSame('POST', '/execution', inWaiting({ variables: [{ name: 'region', operator: 'eq', value: 'east' }] }));
      await use().expectSame('POST', '/execution', inWaiting({ variables: [{ name: 'note', operator: 'like', value: 's%' }] }));
      await use().expectSame('GET', (ids) => `/execution/count?processInstanceId=${ids.waiting}&variables=name_eq_Grace`);
      // an instance's variables are those of every scope but its tasks'
      await use().expectSame('POST', '/execution', inWaiting({ processVariables: [{ name: 'count', operator: 'eq', value: 3 }] }), { unordered: true });
      await use().expectSame('POST', '/execution/count', inWaiting({ processVariables: [{ name: 'note', operator: 'eq', value: 'side' }] }));
      await use().expectSame('POST', '/execution/count', inWaiting({ processVariables: [{ name: 'REGION', operator: 'neq', value: 'WEST' }], variableNamesIgnoreCase: true, variableValuesIgnoreCase: true }));
      await use().expectSame('POST', '/execution/count', inWaiting({ processVariables: [{ name: 'count', operator: 'gt', value: 1 }] }));
      await use().expectSame('POST', '/task/count', inWaiting({ processVariables: [{ name: 'count', operator: 'eq', value: 3 }] }));
      await use().expectSame('POST', '/task/count', inWaiting({ taskVariables: [{ name: 'note', operator: 'eq', value: 'side' }] }));
      // a process instance's variables are those of its own execution
      await use().expectSame('POST', '/process-instance/count', (ids: Ids) => ({ processInstanceIds: [ids.waiting], variables: [{ name: 'count', operator: 'eq', value: 3 }] }));
      await use().expectSame('POST', '/process-instance/count', (ids: Ids) => ({ processInstanceIds: [ids.waiting], variables: [{ name: 'region', operator: 'eq', value: 'east' }] }));
    });

    it('should answer unknown executions and variables with Operaton\'s errors', async () => {
      await use().expectSame('GET', (ids) => `/execution/${ids.receiving}/localVariables/unknown/data`);
      await use().expectSame('GET', '/execution/no-such-execution/localVariables/blob/data');
      await use().expectSame('POST', '/execution/no-such-execution/localVariables', { modifications: { name: { value: 'x', type: 'String' } } });
      await use().expectSame('DELETE', '/execution/no-such-execution/localVariables/name');
      await use().expectSame('POST', (ids) => `/execution/${ids.receiving}/localVariables`, { modifications: { count: { value: 'many', type: 'Long' } } });
    });

    it('should continue an execution waiting in a receive task when signalled, with variables, as Operaton does', async () => {
      // when
      await use().expectSame('POST', (ids) => `/execution/${ids.receiving}/signal`, { variables: { signalled: { value: true, type: 'Boolean' }, reason: { value: 'arrived', type: 'String' } } });

      // then
      await use().expectSame('GET', (ids) => `/process-instance/${ids.waiting}/variables`);
      await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.waiting}&sortBy=name&sortOrder=asc`);
      await use().expectSame('POST', '/execution/count', (ids: Ids) => ({ processInstanceId: ids.waiting }));
      await use().expectSame('GET', (ids) => `/execution/${ids.receiving}`);
    });

    it('should leave a user task when its execution is signalled, deleting the task, as Operaton does', async () => {
      // given: the signalled branch went on to a user task
      await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.waiting}&taskDefinitionKey=Task_After`);

      // when
      await use().expectSame('POST', (ids) => `/execution/${ids.receiving}/signal`, { variables: { skipped: { value: 'Task_After', type: 'String' } } });

      // then: the task is gone as deleted, its activity completed, and the other branch waits on
      await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.waiting}`);
      await use().expectSame('GET', (ids) => `/history/task?processInstanceId=${ids.waiting}&taskDefinitionKey=Task_After`);
      await use().expectSame('GET', (ids) => `/history/activity-instance?processInstanceId=${ids.waiting}&activityId=Task_After`);
      await use().expectSame('GET', (ids) => `/process-instance/${ids.waiting}/variables`);
      await use().expectSame('POST', '/execution/count', (ids: Ids) => ({ processInstanceId: ids.waiting }));
    });

    it('should refuse to signal unknown executions, and variables that do not fit their type, as Operaton does', async () => {
      await use().expectSame('POST', '/execution/no-such-execution/signal', {});
      await use().expectSame('POST', (ids) => `/execution/${ids.waiting}/signal`, { variables: { bad: { value: 'x', type: 'Integer' } } });
    });
  });
});
