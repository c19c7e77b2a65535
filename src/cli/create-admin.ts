/**
 * `npm run create-admin -- --id admin`: creates the first administrator (a user in Camunda's `camunda-admin` group) in
 * the database `npm start` uses. The password comes from stdin or a prompt, never from the command line (`ps` shows it).
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load-config.js';
import { openDatabase } from '../persistence/database.js';
import { ADMIN_GROUP, IdentityService } from '../services/identity-service.js';
import { createServiceContext } from '../services/service-context.js';

const USAGE = `Usage: npm run create-admin -- --id <user id> [--first-name <name>] [--last-name <name>] [--email <address>]
The password is read from stdin (e.g. printf '%s' "$PASSWORD" | npm run create-admin -- --id admin), or asked for
when stdin is a terminal. Uses the database of npm start: DATABASE_URL, else the embedded one in DATA_DIR.`;

class UsageError extends Error {}

/** Asks twice without echoing what is typed. */
async function promptPassword(): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!muted) process.stderr.write(chunk);
      callback();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  const ask = (question: string) => new Promise<string>((resolve) => {
    process.stderr.write(question);
    muted = true;
    rl.question('', (answer) => {
      muted = false;
      process.stderr.write('\n');
      resolve(answer);
    });
  });
  try {
    const first = await ask('Password: ');
    const second = await ask('Repeat the password: ');
    if (first !== second) throw new UsageError('The passwords differ.');
    return first;
  } finally {
    rl.close();
  }
}

/** The first line of stdin, without its line break. */
async function readPasswordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { id: { type: 'string' }, 'first-name': { type: 'string' }, 'last-name': { type: 'string' }, email: { type: 'string' }, help: { type: 'boolean' } }, strict: true }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.id) throw new UsageError('--id is required.');
  const config = loadConfig();
  const password = process.stdin.isTTY ? await promptPassword() : await readPasswordFromStdin();
  if (password === '') throw new UsageError('The password is empty: pass it on stdin or type it at the prompt.');

  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.databaseUrl || config.dataDir === null ? undefined : config.dataDir });
  try {
    const identity = new IdentityService(createServiceContext(database), { idPattern: config.authentication.idPattern });
    const { groupCreated } = await identity.createAdministrator({ id: values.id, firstName: values['first-name'], lastName: values['last-name'], email: values.email }, password);
    process.stdout.write(`Created user '${values.id}' as a member of '${ADMIN_GROUP}'${groupCreated ? ` (group created)` : ''} in ${database.kind === 'pglite' ? `the embedded database in ${database.location}` : `PostgreSQL at ${database.location}`}.\n`);
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof UsageError) {
      process.stderr.write(`${message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    const exists = /already exists/.test(message);
    process.stderr.write(exists ? `${message} Nothing was changed: choose another --id, or change that user's password as an administrator with PUT /engine-rest/user/<id>/credentials.\n` : `create-admin failed: ${message}\n`);
    process.exit(1);
  },
);
