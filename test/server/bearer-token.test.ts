/** OIDC bearer tokens: a JWT signed by a key of the configured JWKS file, for the configured issuer and audience, authenticates; any other is a 401. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JSONWebKeySet } from 'jose';
import request from 'supertest';
import { loadConfig } from '../../src/config/load-config.js';
import { describeOnDatabases } from '../support/test-databases.js';
import { createTestEngine, type TestEngine } from '../support/test-engine.js';

const ISSUER = 'https://id.example.org/realms/care';
const AUDIENCE = 'engine-rest';

describeOnDatabases('server/bearer-token', (use) => {
  let engine: TestEngine;
  let dir: string;
  let signingKey: CryptoKey;
  let otherKey: CryptoKey;

  function token(claims: Record<string, unknown>, options: { key?: CryptoKey; issuer?: string; audience?: string; expiresIn?: string | number } = {}): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(options.issuer ?? ISSUER)
      .setAudience(options.audience ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(options.key ?? signingKey);
  }

  async function countTasks(bearer: string): Promise<number> {
    return (await request(engine.app).get('/engine-rest/task/count').set('Authorization', `Bearer ${bearer}`)).status;
  }

  before(async () => {
    // given a JWKS file with the provider's public key, configured as the server reads it
    const pair = await generateKeyPair('RS256');
    signingKey = pair.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    dir = mkdtempSync(path.join(tmpdir(), 'jwks-'));
    const file = path.join(dir, 'jwks.json');
    writeFileSync(file, JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] }));
    const { oidc, required } = loadConfig({ OIDC_JWKS_FILE: file, OIDC_ISSUER: ISSUER, OIDC_AUDIENCE: AUDIENCE }).authentication;
    expect(required).to.equal(true);
    engine = createTestEngine(use(), { authentication: { required, oidc: oidc && { ...oidc, jwks: oidc.jwks as unknown as JSONWebKeySet } } });
  });

  after(async () => {
    await engine?.fetchAndLockWaiter.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('should accept a valid token and run the request as its subject with the groups of its claim', async () => {
    expect(await countTasks(await token({ sub: 'billing-service' }))).to.equal(200);

    // the groups claim counts: a token of camunda-admin may create users, another gets Camunda's 403
    const refused = await request(engine.app).post('/engine-rest/user/create').set('Authorization', `Bearer ${await token({ sub: 'billing-service', groups: ['billing'] })}`).send({ profile: { id: 'x1' } });
    expect(refused.status).to.equal(403);
    expect(refused.body.userId).to.equal('billing-service');
    const admin = await request(engine.app).post('/engine-rest/user/create').set('Authorization', `Bearer ${await token({ sub: 'ops', groups: ['camunda-admin'] })}`).send({ profile: { id: 'x1' } });
    expect(admin.status).to.equal(204);
  });

  it('should answer expired, never expiring, foreign, misaddressed and unsigned tokens with 401 and an empty body', async () => {
    const now = Math.floor(Date.now() / 1000);
    const invalid = {
      expired: await token({ sub: 'svc' }, { expiresIn: now - 60 }),
      'wrong audience': await token({ sub: 'svc' }, { audience: 'another-api' }),
      'wrong issuer': await token({ sub: 'svc' }, { issuer: 'https://evil.example.org' }),
      'another key': await token({ sub: 'svc' }, { key: otherKey }),
      'no subject': await token({}),
      'no expiry': await new SignJWT({ sub: 'svc' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(ISSUER).setAudience(AUDIENCE).sign(signingKey),
      unsigned: new UnsecuredJWT({ sub: 'svc' }).setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime('5m').encode(),
      garbage: 'not.a.token',
    };
    for (const [label, bearer] of Object.entries(invalid)) {
      const res = await request(engine.app).get('/engine-rest/task/count').set('Authorization', `Bearer ${bearer}`);
      expect(res.status, label).to.equal(401);
      expect(res.text, label).to.equal('');
      expect(res.headers['www-authenticate'], label).to.equal('Basic realm="default"');
    }
    expect((await request(engine.app).get('/engine-rest/task/count')).status).to.equal(401);
    expect((await request(engine.app).get('/engine-rest/engine')).status).to.equal(200);
  });
});
