/** The REST server in the benchmark's own process, on a database it opens: production options, self-check off. */
import type { AddressInfo } from 'node:net';
import { openDatabase } from '../src/persistence/database.js';
import { createApp } from '../src/server/create-app.js';
import { FetchAndLockWaiter } from '../src/services/fetch-and-lock-waiter.js';
import { createServiceContext, type ServiceContext } from '../src/services/service-context.js';

export interface InProcessServer {
  ctx: ServiceContext;
  /** e.g. http://127.0.0.1:41234/engine-rest */
  restUrl: string;
  close(): Promise<void>;
}

/** Opens the database (PostgreSQL at `databaseUrl`, else PGlite in memory) and serves the REST API on a free port. */
export async function startInProcessServer(options: { databaseUrl?: string; maxUploadBytes: number }): Promise<InProcessServer> {
  const database = await openDatabase({ url: options.databaseUrl });
  const ctx = createServiceContext(database);
  const waiter = new FetchAndLockWaiter(ctx, 10);
  const server = createApp(ctx, { maxUploadBytes: options.maxUploadBytes, fetchAndLockWaiter: waiter }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    ctx,
    restUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/engine-rest`,
    async close() {
      await waiter.close();
      await new Promise((resolve) => server.close(resolve));
      await database.close();
    },
  };
}
