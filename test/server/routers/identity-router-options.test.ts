/** Specification of the identity resources' OPTIONS links, `POST /user/{id}/unlock` and `/identity/password-policy`. */
import { expect } from 'chai';
import request from 'supertest';
import { MAX_FAILED_ATTEMPTS, userFailureKey } from '../../../src/core/failure-counter.js';
import { IdentityService } from '../../../src/services/identity-service.js';
import { describeOnDatabases } from '../../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../../support/test-engine.js';
import { RestClient } from '../../support/rest-client.js';

function basic(user: string, password: string): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

const ADMIN = basic('root', 'root-pw');
const ANNA = basic('anna', 'anna-pw');

describeOnDatabases('identity router: options, unlock and password policy', (use) => {
  let engine: TestEngine;
  let rest: RestClient;

  before(async function () {
    // Password hashing is deliberately slow; two cores shared with other suites make it slower.
    this.timeout(60_000);
    engine = createTestEngine(use(), { basicAuthUsers: new Map([['root', 'root-pw']]) });
    rest = new RestClient(engine.app, '/engine-rest', ADMIN);
    expect((await rest.post('/user/create', { profile: { id: 'anna' }, credentials: { password: 'anna-pw' } })).status).to.equal(204);
  });

  after(async () => {
    await engine?.fetchAndLockWaiter.close();
  });

  async function options(path: string, headers: Record<string, string>): Promise<string[]> {
    const answer = await request(engine.app).options(`/engine-rest${path}`).set(headers).set('Host', 'engine.example');
    expect(answer.status).to.equal(200);
    return answer.body.links.map((link: { method: string; href: string; rel: string }) => `${link.method} ${link.href.replace('http://engine.example/engine-rest', '')} ${link.rel}`);
  }

  it('should offer an administrator every operation on users and groups, as Camunda\'s OPTIONS links', async () => {
    expect(await options('/user', ADMIN)).to.deep.equal(['GET /user list', 'GET /user/count count', 'POST /user/create create']);
    expect(await options('/user/anna', ADMIN)).to.deep.equal(['GET /user/anna/profile self', 'DELETE /user/anna delete', 'PUT /user/anna/profile update']);
    expect(await options('/group', ADMIN)).to.deep.equal(['GET /group list', 'GET /group/count count', 'POST /group/create create']);
    expect(await options('/group/sales', ADMIN)).to.deep.equal(['GET /group/sales self', 'DELETE /group/sales delete', 'PUT /group/sales update']);
    expect(await options('/group/sales/members', ADMIN)).to.deep.equal(['DELETE /group/sales/members delete', 'PUT /group/sales/members create']);
  });

  it('should offer another user only what they may do: reading, and changing their own profile', async () => {
    expect(await options('/user', ANNA)).to.deep.equal(['GET /user list', 'GET /user/count count']);
    expect(await options('/user/anna', ANNA)).to.deep.equal(['GET /user/anna/profile self', 'PUT /user/anna/profile update']);
    expect(await options('/user/root', ANNA)).to.deep.equal(['GET /user/root/profile self']);
    expect(await options('/group/sales/members', ANNA)).to.deep.equal([]);
  });

  it('should let an administrator unlock a user whose password checks are throttled, and refuse anyone else', async () => {
    // given anna's password guessed wrong MAX_FAILED_ATTEMPTS times, so even the right one is refused
    for (let attempt = 0; attempt < MAX_FAILED_ATTEMPTS; attempt++) {
      expect((await rest.post('/identity/verify', { username: 'anna', password: `guess-${attempt}` })).body.authenticated).to.equal(false);
    }
    expect((await rest.post('/identity/verify', { username: 'anna', password: 'anna-pw' })).body.authenticated).to.equal(false);

    // when an administrator unlocks her, then her right password works again
    expect((await rest.post('/user/anna/unlock', {})).status).to.equal(204);
    expect((await rest.post('/identity/verify', { username: 'anna', password: 'anna-pw' })).body.authenticated).to.equal(true);

    // and she may not unlock anyone herself; an unknown user is no error
    const refused = await rest.post('/user/root/unlock', {}, { headers: ANNA });
    expect([refused.status, refused.body.type, refused.body.message]).to.deep.equal([403, 'AuthorizationException', 'ENGINE-03029 Required admin authenticated group or user.']);
    expect((await rest.post('/user/nobody/unlock', {})).status).to.equal(204);
  });

  it('should end a user\'s HTTP Basic sign-in lockout on unlock', () => {
    // given the sign-in failures the authentication middleware counts (a single client address would lock itself out too)
    const identity = new IdentityService(engine.ctx);
    for (let attempt = 0; attempt < MAX_FAILED_ATTEMPTS; attempt++) identity.loginFailures.record(userFailureKey('anna'));
    expect(identity.loginFailures.isLocked(userFailureKey('anna'))).to.equal(true);

    // when unlocked (no authenticated caller: the engine itself), then the user may sign in again
    identity.unlockUser('anna');
    expect(identity.loginFailures.isLocked(userFailureKey('anna'))).to.equal(false);
  });

  it('should answer 404 for the password policy, as Camunda does when none is configured', async () => {
    for (const answer of [await rest.get('/identity/password-policy'), await rest.post('/identity/password-policy', { password: 'secret', profile: { id: 'anna' } })]) {
      expect([answer.status, answer.body]).to.deep.equal([404, { type: 'InvalidRequestException', message: 'No password policy is configured.', code: 0 }]);
    }
  });
});
