/** The browser app at `/`: hashed assets cached long, index.html never, SPA fallback, and a hint when it is not built. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { webAppRouter } from '../../src/server/web-app.js';

function appServing(dir: string): express.Express {
  const app = express();
  app.get('/engine-rest/engine', (_req, res) => {
    res.json([{ name: 'default' }]);
  });
  app.use(webAppRouter(dir));
  return app;
}

describe('server/web-app', function () {
  let dir: string;

  beforeEach(function () {
    dir = mkdtempSync(path.join(tmpdir(), 'web-app-'));
  });

  afterEach(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  it('should serve index.html with no-cache and hashed assets with a long cache', async function () {
    // given
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(path.join(dir, 'assets', 'main-ABC123.js'), 'console.log(1)');
    const app = appServing(dir);

    // when
    const index = await request(app).get('/');
    const asset = await request(app).get('/assets/main-ABC123.js');

    // then
    expect(index.status).to.equal(200);
    expect(index.text).to.contain('<title>app</title>');
    expect(index.headers['cache-control']).to.equal('no-cache');
    expect(asset.status).to.equal(200);
    expect(asset.headers['cache-control']).to.contain('max-age=31536000');
  });

  it('should fall back to index.html for app routes but not for the API, metrics or missing assets', async function () {
    // given
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>app</title>');
    const app = appServing(dir);

    // when
    const route = await request(app).get('/instances/42');
    const api = await request(app).get('/engine-rest/nope');
    const metrics = await request(app).get('/metrics');
    const missingAsset = await request(app).get('/assets/gone-1234.js');
    const post = await request(app).post('/somewhere');

    // then
    expect(route.status).to.equal(200);
    expect(route.text).to.contain('<title>app</title>');
    expect(api.status).to.equal(404);
    expect(metrics.status).to.equal(404);
    expect(missingAsset.status).to.equal(404);
    expect(post.status).to.equal(404);
  });

  it('should tell how to build the app when the folder has no index.html', async function () {
    // given
    const app = appServing(path.join(dir, 'missing'));

    // when
    const res = await request(app).get('/');

    // then
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('npm run build');
  });
});
