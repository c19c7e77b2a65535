/** Serves the built browser app (web-modeler/dist) at `/`: hashed assets cached for a year, index.html never, SPA fallback. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router, type Response } from 'express';

/** Paths the fallback must leave to the REST API and the metrics endpoint. */
const NOT_THE_APP = /^\/(engine-rest|metrics)(\/|$)/;

const MISSING_BUILD = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Web app not built</title></head>
<body><h1>The web app is not built</h1><p>Run <code>npm run build</code> and reload this page. The REST API is at <a href="engine-rest/engine">/engine-rest</a>.</p></body></html>
`;

function noCache(res: Response): void {
  res.setHeader('Cache-Control', 'no-cache');
}

export function webAppRouter(dir: string): Router {
  const router = Router();
  const indexFile = path.join(dir, 'index.html');
  router.use(
    express.static(dir, {
      index: false,
      etag: true,
      setHeaders(res, file) {
        // Everything under assets/ carries a content hash in its name, so it never changes.
        if (path.relative(dir, file).startsWith(`assets${path.sep}`)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
        else noCache(res);
      },
    }),
  );
  router.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_THE_APP.test(req.path) || req.path.startsWith('/assets/')) {
      next();
      return;
    }
    noCache(res);
    if (!existsSync(indexFile)) {
      res.status(200).type('html').send(MISSING_BUILD);
      return;
    }
    res.sendFile(indexFile, (error) => {
      if (error) next(error);
    });
  });
  return router;
}
