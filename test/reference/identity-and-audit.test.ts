/** Differential: users, groups and memberships, password checks, the user operation log and Camunda's metrics resource. */
import { describeAgainstOperaton, type Answers } from './engine-pair.js';

// Camunda's default id pattern allows letters and digits only, so the area's prefix has no hyphens.
const ANNA = 'diffIdentityAnna';
const BOB = 'diffIdentityBob';
const CLERKS = 'diffIdentityClerks';
const AUDITORS = 'diffIdentityAuditors';
const OWN_USERS = `idIn=${ANNA},${BOB}`;
const OWN_GROUPS = `idIn=${CLERKS},${AUDITORS}`;
/** The log entries of this suite's identity changes: no other suite changes users, groups or memberships. */
const IDENTITY_LOG = '/history/user-operation?category=Admin&entityTypeIn=User,Group,Group%20membership';

interface LogEntry {
  operationType: string;
  entityType: string;
  newValue: string | null;
  operationId: string;
}

function operationOf(answer: { body: LogEntry[] }, operationType: string, entityType: string, newValue: string | null): string {
  const entry = answer.body.find((candidate) => candidate.operationType === operationType && candidate.entityType === entityType && candidate.newValue === newValue);
  if (!entry) throw new Error(`no ${operationType} ${entityType} ${newValue} entry`);
  return entry.operationId;
}

describeAgainstOperaton('identity and audit', (use) => {
  // Neither engine authenticates REST calls in the suite, so the log to compare is that of an open API (user null).
  before(async () => {
    await use().recordOpenApiOperations(true);
  });

  after(async () => {
    await use().recordOpenApiOperations(false);
  });

  describe('users', () => {
    it('should create users, with and without password and names, as Operaton does', async () => {
      await use().expectSame('POST', '/user/create', { profile: { id: ANNA, firstName: 'Anna', lastName: 'Nass', email: 'anna@example.org' }, credentials: { password: 's3cret' } });
      await use().expectSame('POST', '/user/create', { profile: { id: BOB } });
      await use().expectSame('GET', `/user/${ANNA}/profile`);
      await use().expectSame('GET', `/user/${BOB}/profile`);
    });

    it('should refuse an existing, an invalid and a missing user id with Operaton\'s errors', async () => {
      await use().expectSame('POST', '/user/create', { profile: { id: ANNA }, credentials: { password: 'other' } });
      await use().expectSame('POST', '/user/create', { profile: { id: 'diff-identity-anna' } });
      await use().expectSame('POST', '/user/create', { profile: { firstName: 'Nobody' } });
      await use().expectSame('POST', '/user/create', { credentials: { password: 'x' } });
      await use().expectSame('GET', '/user/diffIdentityNobody/profile');
    });

    it('should list, filter, sort, page and count users as Operaton does', async () => {
      await use().expectSame('GET', `/user?${OWN_USERS}`, undefined, { unordered: true });
      await use().expectSame('GET', `/user?${OWN_USERS}&sortBy=userId&sortOrder=desc`);
      await use().expectSame('GET', `/user?${OWN_USERS}&sortBy=lastName&sortOrder=asc&firstResult=1&maxResults=1`);
      await use().expectSame('GET', '/user?firstNameLike=An%25&lastName=Nass');
      await use().expectSame('GET', '/user?emailLike=%25%40example.org&id=diffIdentityAnna');
      await use().expectSame('GET', `/user?${OWN_USERS}&sortBy=firstName`);
      await use().expectSame('GET', `/user?${OWN_USERS}&sortBy=birthday&sortOrder=asc`);
      await use().expectSame('GET', `/user/count?${OWN_USERS}`);
      await use().expectSame('GET', '/user/count?firstName=Anna&email=anna%40example.org');
    });

    it('should change a profile and a password as Operaton does, and refuse an unknown user', async () => {
      await use().expectSame('PUT', `/user/${BOB}/profile`, { id: BOB, firstName: 'Bob', lastName: 'Baumeister', email: 'bob@example.org' });
      await use().expectSame('GET', `/user/${BOB}/profile`);
      await use().expectSame('PUT', `/user/${BOB}/credentials`, { password: 'b0b-pass' });
      // Without a password nothing changes, though both record an update.
      await use().expectSame('PUT', `/user/${BOB}/credentials`, {});
      await use().expectSame('PUT', '/user/diffIdentityNobody/profile', { id: 'diffIdentityNobody', firstName: 'x' });
      await use().expectSame('PUT', '/user/diffIdentityNobody/credentials', { password: 'x' });
    });

    it('should verify passwords as Operaton does', async () => {
      await use().expectSame('POST', '/identity/verify', { username: ANNA, password: 's3cret' });
      await use().expectSame('POST', '/identity/verify', { username: ANNA, password: 'wrong' });
      await use().expectSame('POST', '/identity/verify', { username: BOB, password: 'b0b-pass' });
      await use().expectSame('POST', '/identity/verify', { username: 'diffIdentityNobody', password: 'x' });
      await use().expectSame('POST', '/identity/verify', { username: ANNA });
      await use().expectSame('POST', '/identity/verify', {});
    });
  });

  describe('groups and memberships', () => {
    it('should create and read groups as Operaton does, and refuse an existing, invalid or missing id', async () => {
      await use().expectSame('POST', '/group/create', { id: CLERKS, name: 'Clerks', type: 'WORKFLOW' });
      await use().expectSame('POST', '/group/create', { id: AUDITORS, name: 'Auditors' });
      await use().expectSame('GET', `/group/${CLERKS}`);
      await use().expectSame('GET', `/group/${AUDITORS}`);
      await use().expectSame('POST', '/group/create', { id: CLERKS, name: 'Clerks again' });
      await use().expectSame('POST', '/group/create', { id: 'diff-identity-clerks' });
      await use().expectSame('POST', '/group/create', { name: 'No id' });
      await use().expectSame('GET', '/group/diffIdentityNoGroup');
    });

    it('should change a group as Operaton does, and refuse an unknown one', async () => {
      await use().expectSame('PUT', `/group/${AUDITORS}`, { id: AUDITORS, name: 'External auditors', type: 'SYSTEM' });
      await use().expectSame('GET', `/group/${AUDITORS}`);
      await use().expectSame('PUT', '/group/diffIdentityNoGroup', { id: 'diffIdentityNoGroup', name: 'x' });
    });

    it('should add members as Operaton does, and refuse an unknown user or group', async () => {
      await use().expectSame('PUT', `/group/${CLERKS}/members/${ANNA}`);
      await use().expectSame('PUT', `/group/${CLERKS}/members/${BOB}`);
      await use().expectSame('PUT', `/group/${AUDITORS}/members/${ANNA}`);
      await use().expectSame('PUT', `/group/${CLERKS}/members/diffIdentityNobody`);
      await use().expectSame('PUT', `/group/diffIdentityNoGroup/members/${ANNA}`);
      await use().expectSame('PUT', `/group/${CLERKS}/members/${ANNA}`);
    });

    it('should list, filter, sort, page and count groups (GET and POST) as Operaton does', async () => {
      await use().expectSame('GET', `/group?${OWN_GROUPS}&sortBy=id&sortOrder=asc`);
      await use().expectSame('GET', `/group?member=${BOB}`);
      await use().expectSame('GET', `/group?member=${ANNA}&sortBy=name&sortOrder=desc&firstResult=1&maxResults=1`);
      await use().expectSame('GET', '/group?nameLike=External%25&type=SYSTEM');
      await use().expectSame('GET', `/group?${OWN_GROUPS}&sortBy=type`);
      await use().expectSame('GET', `/group/count?member=${ANNA}`);
      await use().expectSame('GET', `/group/count?${OWN_GROUPS}&type=WORKFLOW`);
      await use().expectSame('POST', '/group', { idIn: [CLERKS, AUDITORS] }, { unordered: true });
      await use().expectSame('POST', '/group', { idIn: [CLERKS, AUDITORS], sorting: [{ sortBy: 'name', sortOrder: 'desc' }] });
      await use().expectSame('POST', '/group?firstResult=1&maxResults=1', { member: ANNA, sorting: [{ sortBy: 'id', sortOrder: 'asc' }] });
      await use().expectSame('POST', '/group/count', { member: ANNA });
      await use().expectSame('POST', '/group/count', { idIn: [CLERKS, AUDITORS], name: 'Clerks' });
    });

    it('should sort a POST query by its body alone, and fail a sorting as Operaton\'s query fails it', async () => {
      // The query string's sortBy and sortOrder are not read, not even when they are wrong.
      await use().expectSame('POST', '/group?sortBy=colour&sortOrder=desc', { idIn: [CLERKS, AUDITORS] }, { unordered: true });
      await use().expectSame('POST', '/group?sortBy=name', { idIn: [CLERKS, AUDITORS] }, { unordered: true });
      // An entry with neither a known property nor a direction is passed over.
      await use().expectSame('POST', '/group', { idIn: [CLERKS, AUDITORS], sorting: [{ sortBy: 'colour' }, { sortBy: 'id', sortOrder: 'desc' }] });
      await use().expectSame('POST', '/group', { member: ANNA, sorting: [{ sortBy: 'colour', sortOrder: 'asc' }] });
      await use().expectSame('POST', '/group', { member: ANNA, sorting: [{ sortOrder: 'asc' }] });
      await use().expectSame('POST', '/group', { member: ANNA, sorting: [{ sortBy: 'id', sortOrder: 'up' }] });
      await use().expectSame('POST', '/group', { member: ANNA, sorting: [{ sortBy: 'id', sortOrder: 'asc' }, { sortBy: 'colour', sortOrder: 'desc' }] });
      await use().expectSame('POST', '/group/count', { member: ANNA, sorting: [{ sortBy: 'colour', sortOrder: 'asc' }] });
      // A count is sorted too, so its sort parameters are checked as the list's are.
      await use().expectSame('GET', `/group/count?member=${ANNA}&sortBy=name`);
      await use().expectSame('GET', `/group/count?member=${ANNA}&sortBy=colour&sortOrder=asc`);
      await use().expectSame('GET', `/user/count?${OWN_USERS}&sortBy=colour`);
      await use().expectSame('GET', `/user?memberOfGroup=${CLERKS}&sortBy=userId&sortOrder=asc`);
    });

    it('should answer a user\'s groups and fellow members as Operaton does', async () => {
      await use().expectSame('GET', `/identity/groups?userId=${ANNA}`, undefined, { unordered: true });
      await use().expectSame('GET', `/identity/groups?userId=${BOB}`, undefined, { unordered: true });
      await use().expectSame('GET', '/identity/groups?userId=diffIdentityNobody');
      await use().expectSame('GET', '/identity/groups');
    });
  });

  describe('the user operation log', () => {
    it('should start, work on and delete an instance, and log each operation as Operaton does', async () => {
      await use().ensureDeployed('bpmn/differential-identity-audit.bpmn');
      await use().expectSame('POST', '/process-definition/key/differential-identity-audit/start', { businessKey: 'DIFF-IDENTITY-1', variables: { requester: { value: ANNA, type: 'String' } } }, {
        remember: { auditInstance: (answer) => answer.body.id },
      });
      await use().expectSame('GET', (ids) => `/task?processInstanceId=${ids.auditInstance}`, undefined, { remember: { approveTask: (answer) => answer.body[0].id } });
      await use().expectSame('POST', (ids) => `/task/${ids.approveTask}/claim`, { userId: ANNA });
      await use().expectSame('PUT', (ids) => `/process-instance/${ids.auditInstance}/variables/decision`, { value: 'granted', type: 'String' });
      await use().expectSame('POST', (ids) => `/task/${ids.approveTask}/complete`, { variables: { approved: { value: true, type: 'Boolean' } } });
      await use().expectSame('PUT', (ids) => `/process-instance/${ids.auditInstance}/suspended`, { suspended: true });
      await use().expectSame('PUT', (ids) => `/process-instance/${ids.auditInstance}/suspended`, { suspended: false });
      await use().expectSame('DELETE', (ids) => `/process-instance/${ids.auditInstance}`);
      await use().expectSame('GET', (ids) => `/history/user-operation?processInstanceId=${ids.auditInstance}&sortBy=timestamp&sortOrder=asc`, undefined, {
        remember: {
          startOperation: (answer) => operationOf(answer, 'Create', 'ProcessInstance', null),
          setVariableOperation: (answer) => operationOf(answer, 'SetVariable', 'Variable', null),
          completeOperation: (answer) => operationOf(answer, 'Complete', 'Task', 'true'),
        },
      });
      // Each variable update names the operation of the command that wrote it.
      await use().expectSame('GET', (ids) => `/history/detail?processInstanceId=${ids.auditInstance}`, undefined, { unordered: true });
      await use().expectSame('GET', (ids) => `/history/user-operation?processInstanceId=${ids.auditInstance}&entityType=Task&category=TaskWorker&sortBy=timestamp&sortOrder=desc`);
      await use().expectSame('GET', (ids) => `/history/user-operation/count?processInstanceId=${ids.auditInstance}`);
      await use().expectSame('GET', (ids) => `/history/user-operation/count?processInstanceId=${ids.auditInstance}&operationType=Suspend&property=suspensionState`);
    });

    it('should log the identity changes so far as Operaton does: Admin operations naming the user or group', async () => {
      await use().expectSame('GET', IDENTITY_LOG, undefined, {
        unordered: true,
        remember: { createAnna: (answer) => operationOf(answer, 'Create', 'User', ANNA) },
      });
      await use().expectSame('GET', `${IDENTITY_LOG}&operationType=Update`, undefined, { unordered: true });
      await use().expectSame('GET', (ids) => `/history/user-operation?operationId=${ids.createAnna}`);
      await use().expectSame('GET', `/history/user-operation/count?category=Admin&entityType=Group%20membership`);
      await use().expectSame('GET', `/history/user-operation/count?category=Admin&entityTypeIn=User,Group&property=groupId`);
    });

    it('should annotate an operation, record the annotation as an operation of its own, and clear it, as Operaton does', async () => {
      await use().expectSame('PUT', (ids) => `/history/user-operation/${ids.createAnna}/set-annotation`, { annotation: 'checked by the audit' });
      await use().expectSame('GET', (ids) => `/history/user-operation?operationId=${ids.createAnna}`);
      await use().expectSame('PUT', (ids) => `/history/user-operation/${ids.createAnna}/clear-annotation`);
      await use().expectSame('GET', (ids) => `/history/user-operation?operationId=${ids.createAnna}`);
      await use().expectSame('PUT', (ids) => `/history/user-operation/${ids.createAnna}/set-annotation`, { annotation: 'checked again' });
      // Setting no annotation clears it, and is recorded as clearing.
      await use().expectSame('PUT', (ids) => `/history/user-operation/${ids.createAnna}/set-annotation`, {});
      await use().expectSame('GET', (ids) => `/history/user-operation?operationId=${ids.createAnna}`);
      // Only this suite annotates operations.
      await use().expectSame('GET', '/history/user-operation?entityType=OperationLog&sortBy=timestamp&sortOrder=asc');
      await use().expectSame('GET', '/history/user-operation/count?entityType=OperationLog&operationType=ClearAnnotation');
    });

    it('should refuse to annotate an unknown operation as Operaton does', async () => {
      await use().expectSame('PUT', '/history/user-operation/diffIdentityNoOperation/set-annotation', { annotation: 'x' });
      await use().expectSame('PUT', '/history/user-operation/diffIdentityNoOperation/clear-annotation');
    });
  });

  describe('removing members, groups and users', () => {
    it('should remove members, also ones that are not, as Operaton does', async () => {
      await use().expectSame('DELETE', `/group/${AUDITORS}/members/${ANNA}`);
      await use().expectSame('DELETE', `/group/${AUDITORS}/members/${ANNA}`);
      await use().expectSame('DELETE', '/group/diffIdentityNoGroup/members/diffIdentityNobody');
      await use().expectSame('GET', `/group/count?member=${ANNA}`);
    });

    it('should delete groups and users, also unknown ones, with their memberships, as Operaton does', async () => {
      await use().expectSame('DELETE', `/group/${AUDITORS}`);
      await use().expectSame('DELETE', `/group/${AUDITORS}`);
      await use().expectSame('GET', `/group/${AUDITORS}`);
      await use().expectSame('DELETE', `/user/${BOB}`);
      await use().expectSame('DELETE', `/user/${BOB}`);
      await use().expectSame('GET', `/user/${BOB}/profile`);
      await use().expectSame('GET', `/user/count?memberOfGroup=${CLERKS}`);
      await use().expectSame('GET', `/identity/groups?userId=${ANNA}`);
      await use().expectSame('DELETE', `/group/${CLERKS}`);
      await use().expectSame('DELETE', `/user/${ANNA}`);
      await use().expectSame('GET', `/user/count?${OWN_USERS}`);
      await use().expectSame('GET', `/group/count?${OWN_GROUPS}`);
    });

    it('should log the removals as Operaton does', async () => {
      await use().expectSame('GET', `${IDENTITY_LOG}&operationType=Delete`, undefined, { unordered: true });
    });
  });

  describe('without recording an open API\'s operations (Camunda\'s default)', () => {
    it('should record no identity change of a caller who is not authenticated, as Operaton does', async () => {
      await use().recordOpenApiOperations(false);
      await use().expectSame('POST', '/user/create', { profile: { id: 'diffIdentityQuiet' } });
      await use().expectSame('POST', '/group/create', { id: 'diffIdentityQuietGroup' });
      await use().expectSame('PUT', '/group/diffIdentityQuietGroup/members/diffIdentityQuiet');
      await use().expectSame('DELETE', '/group/diffIdentityQuietGroup');
      await use().expectSame('DELETE', '/user/diffIdentityQuiet');
      await use().expectSame('GET', `${IDENTITY_LOG}&operationType=Create`, undefined, { unordered: true });
      await use().expectSame('GET', '/history/user-operation/count?category=Admin');
    });
  });

  describe('metrics', () => {
    let before: Answers;

    it('should count the decisions this suite evaluates, as Operaton does', async () => {
      await use().ensureDeployed('dmn/differential-dish.dmn');
      before = await use().read('GET', '/metrics/executed-decision-instances/sum');
      const elementsBefore = await use().read('GET', '/metrics/executed-decision-elements/sum');
      const evaluation = { variables: { season: { value: 'Winter', type: 'String' }, guestCount: { value: 4, type: 'Integer' } } };
      for (let i = 0; i < 3; i++) await use().expectSame('POST', '/decision-definition/key/differential-dish/evaluate', evaluation);
      const since = (body: { result: number }, side: keyof Answers) => ({ result: body.result - (before[side].body as { result: number }).result });
      const sinceElements = (body: { result: number }, side: keyof Answers) => ({ result: body.result - (elementsBefore[side].body as { result: number }).result });
      await use().expectSame('GET', '/metrics/executed-decision-instances/sum', undefined, { adjust: since });
      await use().expectSame('GET', '/metrics/decision-instances/sum', undefined, { adjust: since });
      // A decision table counts (inputs + outputs) × rules: 9 here, per evaluation.
      await use().expectSame('GET', '/metrics/executed-decision-elements/sum', undefined, { adjust: sinceElements });
    });

    it('should sum a metric over a time range and refuse a bad date as Operaton does', async () => {
      await use().expectSame('GET', '/metrics/executed-decision-instances/sum?startDate=2020-01-01T00:00:00.000%2B0000&endDate=2020-02-01T00:00:00.000%2B0000');
      await use().expectSame('GET', '/metrics/diff-identity-no-metric/sum');
      await use().expectSame('GET', '/metrics/executed-decision-instances/sum?startDate=yesterday');
      await use().expectSame('GET', '/metrics/executed-decision-instances/sum?endDate=tomorrow');
    });

    it('should answer the meter log\'s intervals as Operaton does before any report is due', async () => {
      // Both report to the meter log every 15 minutes, so within a run the interval list of the log is empty.
      await use().expectSame('GET', '/metrics?name=executed-decision-instances');
      await use().expectSame('GET', '/metrics?name=activity-instance-start&interval=900&aggregateByReporter=true&startDate=2020-01-01T00:00:00.000%2B0000');
      await use().expectSame('GET', '/metrics?startDate=yesterday');
      await use().expectSame('GET', '/metrics?interval=often');
      await use().expectSame('GET', '/metrics?name=executed-decision-instances&maxResults=many');
      await use().expectSame('GET', '/metrics?maxResults=201');
    });
  });
});
