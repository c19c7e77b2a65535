/** Specification of `/user`, `/group` and `/identity`: Camunda's identity REST API, its shapes, and who may change what. */
import { expect } from 'chai';
import request from 'supertest';
import { MAX_FAILED_ATTEMPTS } from '../../../src/core/failure-counter.js';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { RestClient } from '../../support/rest-client.js';

function basic(user: string, password: string): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

const ADMIN = basic('root', 'root-pw');

describeOnDatabases('identity router', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async () => {
    // given authentication on, with a configured quick-start user (an administrator)
    engine = createTestEngine(use(), { basicAuthUsers: new Map([['root', 'root-pw']]) });
    rest = new RestClient(engine.app, '/engine-rest', ADMIN);
    const as = { headers: ADMIN };
    for (const [id, firstName, lastName, password] of [['anna', 'Anna', 'Meyer', 'anna-pw'], ['ben', 'Ben', 'Adams', 'ben-pw'], ['carl', null, null, 'carl-pw']]) {
      expect((await rest.post('/user/create', { profile: { id, firstName, lastName, email: `${id}@example.org` }, credentials: { password } }, as)).status).to.equal(204);
    }
    expect((await rest.post('/group/create', { id: 'reviewers', name: 'Reviewers', type: 'WORKFLOW' }, as)).status).to.equal(204);
    expect((await rest.post('/group/create', { id: 'accounting', name: 'Accounting', type: 'WORKFLOW' }, as)).status).to.equal(204);
    for (const [group, user] of [['reviewers', 'anna'], ['reviewers', 'ben'], ['accounting', 'anna']]) {
      expect((await rest.put(`/group/${group}/members/${user}`, {}, as)).status).to.equal(204);
    }
  });

  after(async () => {
    await engine?.fetchAndLockWaiter.close();
  });

  it('should list, filter, sort, page and count users as Camunda profiles, never with a password', async () => {
    const all = await rest.get('/user?sortBy=userId&sortOrder=asc', { headers: ADMIN });
    expect(all.body).to.deep.equal([
      { id: 'anna', firstName: 'Anna', lastName: 'Meyer', email: 'anna@example.org' },
      { id: 'ben', firstName: 'Ben', lastName: 'Adams', email: 'ben@example.org' },
      { id: 'carl', firstName: null, lastName: null, email: 'carl@example.org' },
    ]);
    expect(all.text).to.not.match(/scrypt|pw/);
    expect((await rest.get('/user?sortBy=lastName&sortOrder=asc&firstResult=0&maxResults=1', { headers: ADMIN })).body.map((u: { id: string }) => u.id)).to.deep.equal(['ben']);
    expect((await rest.get('/user?memberOfGroup=reviewers&sortBy=userId&sortOrder=desc', { headers: ADMIN })).body.map((u: { id: string }) => u.id)).to.deep.equal(['ben', 'anna']);
    expect((await rest.get('/user?firstNameLike=A%25', { headers: ADMIN })).body.map((u: { id: string }) => u.id)).to.deep.equal(['anna']);
    expect((await rest.get('/user?idIn=anna,carl&emailLike=%25example%25', { headers: ADMIN })).body).to.have.length(2);
    expect((await rest.get('/user/count?memberOfGroup=accounting', { headers: ADMIN })).body).to.deep.equal({ count: 1 });
    expect((await rest.get('/user?memberOfTenant=t1', { headers: ADMIN })).body).to.deep.equal([]);
    expect((await rest.get('/user?sortBy=userId', { headers: ADMIN })).status).to.equal(400);
  });

  it('should get and update a profile, and answer an unknown user with 404 InvalidRequestException', async () => {
    expect((await rest.get('/user/carl/profile', { headers: ADMIN })).body).to.deep.equal({ id: 'carl', firstName: null, lastName: null, email: 'carl@example.org' });
    expect((await rest.put('/user/carl/profile', { id: 'carl', firstName: 'Carl', lastName: 'Berg', email: 'c@example.org' }, { headers: ADMIN })).status).to.equal(204);
    expect((await rest.get('/user/carl/profile', { headers: ADMIN })).body).to.deep.equal({ id: 'carl', firstName: 'Carl', lastName: 'Berg', email: 'c@example.org' });

    const missing = await rest.get('/user/nobody/profile', { headers: ADMIN });
    expect(missing.status).to.equal(404);
    expect(missing.body).to.deep.equal({ type: 'InvalidRequestException', message: 'User with id nobody does not exist', code: 0 });
    expect((await rest.put('/user/nobody/profile', { firstName: 'X' }, { headers: ADMIN })).status).to.equal(404);
  });

  it('should refuse a user without an id, with an invalid id and twice, as Camunda does', async () => {
    const noId = await rest.post('/user/create', { profile: { firstName: 'X' } }, { headers: ADMIN, undocumentedStatus: 400 });
    expect(noId.body).to.deep.equal({ type: 'InvalidRequestException', message: 'request object must provide profile information with valid id.', code: 0 });
    const invalid = await rest.post('/user/create', { profile: { id: 'not valid!' } }, { headers: ADMIN, undocumentedStatus: 500 });
    expect(invalid.body).to.deep.equal({ type: 'ProcessEngineException', message: "User has an invalid id: 'not valid!' is not a valid resource identifier.", code: 0 });
    const twice = await rest.post('/user/create', { profile: { id: 'anna' } }, { headers: ADMIN, undocumentedStatus: 400 });
    expect(twice.body).to.deep.equal({ type: 'BadUserRequestException', message: 'The user already exists', code: 0 });
    const groupTwice = await rest.post('/group/create', { id: 'reviewers' }, { headers: ADMIN, undocumentedStatus: 400 });
    expect(groupTwice.body).to.deep.equal({ type: 'BadUserRequestException', message: 'The group already exists', code: 0 });
  });

  it('should change the user or group the path names, and refuse a body naming another id without changing anything', async () => {
    // given a user and a group of their own
    expect((await rest.post('/user/create', { profile: { id: 'dora' } }, { headers: ADMIN })).status).to.equal(204);
    expect((await rest.post('/group/create', { id: 'archivists', name: 'Archivists' }, { headers: ADMIN })).status).to.equal(204);

    // when profile and group bodies name no id, they change the path's user and group
    expect((await rest.put('/user/dora/profile', { firstName: 'Dora' }, { headers: ADMIN })).status).to.equal(204);
    expect((await rest.put('/group/archivists', { name: 'Archive', type: 'WORKFLOW' }, { headers: ADMIN })).status).to.equal(204);
    expect((await rest.get('/user/dora/profile', { headers: ADMIN })).body.firstName).to.equal('Dora');
    expect((await rest.get('/group/archivists', { headers: ADMIN })).body).to.deep.equal({ id: 'archivists', name: 'Archive', type: 'WORKFLOW' });

    // when they name another id, then they are refused and nothing changes
    const otherUser = await rest.put('/user/dora/profile', { id: 'anna', firstName: 'Anna?' }, { headers: ADMIN, undocumentedStatus: 400 });
    const otherGroup = await rest.put('/group/archivists', { id: 'accounting', name: 'Accounting?' }, { headers: ADMIN, undocumentedStatus: 400 });
    expect(otherUser.body).to.deep.equal({ type: 'InvalidRequestException', message: "User id 'anna' of the body is not 'dora' of the path: the id of a user cannot change", code: 0 });
    expect(otherGroup.body).to.deep.equal({ type: 'InvalidRequestException', message: "Group id 'accounting' of the body is not 'archivists' of the path: the id of a group cannot change", code: 0 });
    expect((await rest.get('/user/dora/profile', { headers: ADMIN })).body.firstName).to.equal('Dora');
    expect((await rest.get('/user/anna/profile', { headers: ADMIN })).body.firstName).to.equal('Anna');
    expect((await rest.get('/group/archivists', { headers: ADMIN })).body.name).to.equal('Archive');
    expect((await rest.get('/group/accounting', { headers: ADMIN })).body.name).to.equal('Accounting');
    expect((await rest.delete('/group/archivists', { headers: ADMIN })).status).to.equal(204);
    expect((await rest.delete('/user/dora', { headers: ADMIN })).status).to.equal(204);
  });

  it('should verify credentials as /identity/verify answers', async () => {
    expect((await rest.post('/identity/verify', { username: 'anna', password: 'anna-pw' }, { headers: ADMIN })).body).to.deep.equal({ authenticatedUser: 'anna', authenticated: true, tenants: null, groups: null });
    expect((await rest.post('/identity/verify', { username: 'anna', password: 'nope' }, { headers: ADMIN })).body).to.deep.equal({ authenticatedUser: 'anna', authenticated: false, tenants: null, groups: null });
    expect((await rest.post('/identity/verify', { username: 'ghost', password: 'anna-pw' }, { headers: ADMIN })).body.authenticated).to.equal(false);
    const incomplete = await rest.post('/identity/verify', { username: 'anna' }, { headers: ADMIN });
    expect(incomplete.status).to.equal(400);
    expect(incomplete.body.message).to.equal('Username and password are required');
  });

  it('should throttle /identity/verify per user name as HTTP Basic is: after repeated failures even the right password is false', async () => {
    // given a user name guessed wrong MAX_FAILED_ATTEMPTS times
    for (let attempt = 0; attempt < MAX_FAILED_ATTEMPTS; attempt++) {
      expect((await rest.post('/identity/verify', { username: 'carl', password: `guess-${attempt}` }, { headers: ADMIN })).body.authenticated).to.equal(false);
    }

    // when the right password follows, then it is refused for the rest of the window
    expect((await rest.post('/identity/verify', { username: 'carl', password: 'carl-pw' }, { headers: ADMIN })).body.authenticated).to.equal(false);
    // and other user names are not affected
    expect((await rest.post('/identity/verify', { username: 'ben', password: 'ben-pw' }, { headers: ADMIN })).body.authenticated).to.equal(true);
  });

  it('should list, get, update, count and delete groups, and their members', async () => {
    expect((await rest.get('/group?sortBy=name&sortOrder=asc', { headers: ADMIN })).body).to.deep.equal([
      { id: 'accounting', name: 'Accounting', type: 'WORKFLOW' },
      { id: 'reviewers', name: 'Reviewers', type: 'WORKFLOW' },
    ]);
    expect((await rest.get('/group?member=ben', { headers: ADMIN })).body.map((g: { id: string }) => g.id)).to.deep.equal(['reviewers']);
    expect((await rest.post('/group', { idIn: ['accounting'] }, { headers: ADMIN })).body.map((g: { id: string }) => g.id)).to.deep.equal(['accounting']);
    expect((await rest.post('/group/count', { nameLike: '%e%' }, { headers: ADMIN })).body).to.deep.equal({ count: 1 });
    expect((await rest.get('/group/count?type=WORKFLOW', { headers: ADMIN })).body).to.deep.equal({ count: 2 });

    expect((await rest.post('/group/create', { id: 'temp', name: 'Temp' }, { headers: ADMIN })).status).to.equal(204);
    expect((await rest.put('/group/temp', { id: 'temp', name: 'Temporary', type: 'X' }, { headers: ADMIN })).status).to.equal(204);
    expect((await rest.get('/group/temp', { headers: ADMIN })).body).to.deep.equal({ id: 'temp', name: 'Temporary', type: 'X' });
    expect((await rest.put('/group/temp/members/carl', {}, { headers: ADMIN })).status).to.equal(204);
    const again = await rest.put('/group/temp/members/carl', {}, { headers: ADMIN });
    expect(again.status).to.equal(500);
    expect(again.body).to.deep.equal({ type: 'ProcessEnginePersistenceException', message: "The user 'carl' is already a member of group 'temp'.", code: 0 });
    expect((await rest.put('/group/temp/members/ghost', {}, { headers: ADMIN })).body).to.deep.equal({ type: 'NullValueException', message: "No user found with id 'ghost'.: user is null", code: 0 });
    expect((await rest.put('/group/ghosts/members/carl', {}, { headers: ADMIN })).body.message).to.equal("No group found with id 'ghosts'.: group is null");
    expect((await rest.delete('/group/temp/members/carl', { headers: ADMIN })).status).to.equal(204);
    expect((await rest.delete('/group/temp/members/carl', { headers: ADMIN })).status).to.equal(204);
    expect((await rest.delete('/group/temp', { headers: ADMIN })).status).to.equal(204);
    const gone = await rest.get('/group/temp', { headers: ADMIN });
    expect(gone.status).to.equal(404);
    expect(gone.body).to.deep.equal({ type: 'InvalidRequestException', message: 'Group with id temp does not exist', code: 0 });
    expect((await rest.put('/group/temp', { name: 'x' }, { headers: ADMIN })).status).to.equal(404);
  });

  it('should answer /identity/groups with the user\'s groups and the other members', async () => {
    const info = await rest.get('/identity/groups?userId=anna', { headers: ADMIN });
    expect(info.body).to.deep.equal({
      groups: [{ id: 'accounting', name: 'Accounting' }, { id: 'reviewers', name: 'Reviewers' }],
      groupUsers: [{ id: 'ben', firstName: 'Ben', lastName: 'Adams', displayName: 'Ben Adams' }],
    });
    const missing = await rest.get('/identity/groups', { headers: ADMIN });
    expect(missing.status).to.equal(400);
    expect(missing.body.message).to.equal('No user id was supplied');
  });

  it('should refuse writes of users who are not in camunda-admin with 403 AuthorizationException, but let them change their own profile and password', async () => {
    const anna = basic('anna', 'anna-pw');
    const refused = await request(engine.app).post('/engine-rest/user/create').set(anna).send({ profile: { id: 'eve' }, credentials: { password: 'x' } });
    expect(refused.status).to.equal(403);
    expect(refused.body).to.deep.equal({
      type: 'AuthorizationException',
      message: "The user with id 'anna' does not have 'CREATE' permission on resource 'User'.",
      code: 0,
      userId: 'anna',
      missingAuthorizations: [{ permissionName: 'CREATE', resourceName: 'User', resourceId: null }],
    });
    for (const [method, path, body] of [['put', '/user/ben/profile', {}], ['delete', '/user/ben', undefined], ['post', '/group/create', { id: 'x' }], ['put', '/group/reviewers', { name: 'x' }], ['delete', '/group/reviewers', undefined], ['put', '/group/reviewers/members/carl', {}], ['delete', '/group/reviewers/members/ben', undefined]] as const) {
      const res = await request(engine.app)[method](`/engine-rest${path}`).set(anna).send(body);
      expect(res.status, `${method} ${path}`).to.equal(403);
      expect(res.body.type).to.equal('AuthorizationException');
    }
    const otherPassword = await request(engine.app).put('/engine-rest/user/ben/credentials').set(anna).send({ password: 'hijack', authenticatedUserPassword: 'anna-pw' });
    expect(otherPassword.status).to.equal(403);

    // reads stay open to every authenticated user, and a user changes their own profile and password
    expect((await rest.get('/user/ben/profile', { headers: anna })).status).to.equal(200);
    expect((await rest.put('/user/anna/profile', { id: 'anna', firstName: 'Anna', lastName: 'Müller', email: 'anna@example.org' }, { headers: anna })).status).to.equal(204);
    const wrongOwn = await rest.put('/user/anna/credentials', { password: 'anna-pw2', authenticatedUserPassword: 'wrong' }, { headers: anna });
    expect(wrongOwn.status).to.equal(400);
    expect(wrongOwn.body).to.deep.equal({ type: 'InvalidRequestException', message: 'The given authenticated user password is not valid.', code: 0 });
    expect((await rest.put('/user/anna/credentials', { password: 'anna-pw2', authenticatedUserPassword: 'anna-pw' }, { headers: anna })).status).to.equal(204);
    expect((await rest.post('/identity/verify', { username: 'anna', password: 'anna-pw2' }, { headers: ADMIN })).body.authenticated).to.equal(true);

    // and a member of camunda-admin from the database may write
    expect((await rest.post('/group/create', { id: 'camunda-admin', name: 'Admins', type: 'SYSTEM' }, { headers: ADMIN })).status).to.equal(204);
    expect((await rest.put('/group/camunda-admin/members/carl', {}, { headers: ADMIN })).status).to.equal(204);
    expect((await rest.post('/user/create', { profile: { id: 'dora' }, credentials: { password: 'dora-pw' } }, { headers: basic('carl', 'carl-pw') })).status).to.equal(204);
  });

  it('should show a candidate user the tasks offered to their groups, unless assigned (includeAssignedTasks shows those)', async () => {
    // given a user task offered to the group "reviewers", and another one claimed by someone
    await rest.deployFixture('single-user-task.bpmn');
    const first = (await rest.post('/process-definition/key/single-user-task/start', {}, { headers: ADMIN })).body.id;
    const second = (await rest.post('/process-definition/key/single-user-task/start', {}, { headers: ADMIN })).body.id;
    const [claimed] = (await rest.get(`/task?processInstanceId=${second}`, { headers: ADMIN })).body;
    expect((await rest.post(`/task/${claimed.id}/claim`, { userId: 'someone' }, { headers: ADMIN })).status).to.equal(204);

    // when a member of "reviewers" and a non-member ask for their candidate tasks
    const ofBen = (await rest.get('/task?candidateUser=ben', { headers: ADMIN })).body.map((t: { processInstanceId: string }) => t.processInstanceId);
    const ofCarl = (await rest.get('/task?candidateUser=carl', { headers: ADMIN })).body;

    // then the member sees the unassigned one, the non-member none
    expect(ofBen).to.deep.equal([first]);
    expect(ofCarl).to.deep.equal([]);
    expect((await rest.get('/task/count?candidateUser=ben', { headers: ADMIN })).body).to.deep.equal({ count: 1 });
    expect((await rest.post('/task/count', { candidateUser: 'ben', includeAssignedTasks: true }, { headers: ADMIN })).body).to.deep.equal({ count: 2 });
    expect((await rest.post('/task', { candidateUser: 'ben', includeAssignedTasks: true }, { headers: ADMIN })).body).to.have.length(2);
    // and the caller asking for themselves counts with the groups they authenticated with
    expect((await rest.get('/task/count?candidateUser=ben', { headers: basic('ben', 'ben-pw') })).body).to.deep.equal({ count: 1 });
  });
});
