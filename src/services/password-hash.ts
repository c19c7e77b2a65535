/** Salted scrypt password hashes in a self-describing format, so the cost parameters can rise without breaking stored hashes. */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParameters {
  /** CPU/memory cost (a power of two), block size and parallelization, as RFC 7914 names them N, r and p. */
  readonly n: number;
  readonly r: number;
  readonly p: number;
}

/**
 * One of OWASP's equivalent scrypt settings (N=2^14, r=8, p=5): 16 MiB per hash instead of N=2^17's 128 MiB, for the
 * same work. A hash records its own parameters, so raising these later leaves existing hashes verifiable.
 */
export const DEFAULT_SCRYPT: ScryptParameters = { n: 2 ** 14, r: 8, p: 5 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
const FORMAT = /^\$scrypt\$n=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

function derive(password: string, salt: Buffer, keyLength: number, parameters: ScryptParameters): Promise<Buffer> {
  const options: ScryptOptions = { N: parameters.n, r: parameters.r, p: parameters.p, maxmem: 256 * parameters.n * parameters.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** `$scrypt$n=16384,r=8,p=5$<salt>$<hash>` (base64), with a fresh random salt. */
export async function hashPassword(password: string, parameters: ScryptParameters = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, parameters);
  return `$scrypt$n=${parameters.n},r=${parameters.r},p=${parameters.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Stands in for the hash of an unknown user, so an unknown name costs the same work as a wrong password. */
let decoyHash: Promise<string> | undefined;

/** Whether `password` matches `stored`; a missing or unreadable hash matches nothing but still costs one derivation. */
export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const match = stored ? FORMAT.exec(stored) : null;
  if (!match) {
    decoyHash ??= hashPassword('\u0000decoy');
    await verifyPassword(password, await decoyHash);
    return false;
  }
  const parameters = { n: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  const salt = Buffer.from(match[4], 'base64');
  const expected = Buffer.from(match[5], 'base64');
  const actual = await derive(password, salt, expected.length, parameters);
  return timingSafeEqual(actual, expected);
}
