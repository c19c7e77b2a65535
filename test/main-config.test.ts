/** The server refuses a bad configuration value at start: one line naming the variable, exit code 1. */
import { expect } from 'chai';
import { runServerToExit } from './support/server-process.js';

describe('main: refusing a bad configuration', function () {
  this.timeout(60_000);

  for (const [name, value, expected] of [
    ['LOG_LEVEL', 'verbose', "LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got 'verbose'"],
    ['DATABASE_URL', 'mysql://root:s3cret@db/engine', 'DATABASE_URL must be a PostgreSQL URL starting with postgres:// or postgresql://, got one starting with mysql://'],
    ['SHUTDOWN_GRACE_PERIOD', 'soon', "SHUTDOWN_GRACE_PERIOD must be an integer ≥ 1, got 'soon'"],
    ['WORKERS', '2', 'WORKERS=2 needs DATABASE_URL: the embedded database (PGlite) has one session and its data folder belongs to one process'],
  ] as const) {
    it(`should print one line naming ${name} and exit 1 when it is '${value}'`, async () => {
      const { code, output } = await runServerToExit({ DATA_DIR: 'memory', LOG_LEVEL: 'info', [name]: value });

      expect(code).to.equal(1);
      expect(output).to.equal(`${expected}\n`);
    });
  }
});
