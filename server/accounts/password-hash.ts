/**
 * Console passwords as scrypt hashes (memory-hard: N=2^15, r=8, p=1, 32 MiB per hash), written
 * as `scrypt$N$r$p$salt$hash` in base64url so the cost can be raised later without a migration.
 * Exports hashPassword, verifyPassword, checkNewPassword.
 */
import crypto from 'node:crypto';

const COST = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const MIN_LENGTH = 10;
const MAX_LENGTH = 1024; // scrypt reads the whole password; bound what a form can make it hash

function scrypt(password: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    crypto.scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...cost, maxmem: 128 * cost.N * cost.r * 2 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** hashPassword - a fresh salt and the hash, in the stored form. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password, salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** verifyPassword - compares in constant time; a stored value of another form never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash || password.length > MAX_LENGTH) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && crypto.timingSafeEqual(key, expected);
}

/** checkNewPassword - why a password may not be set, or null. */
export function checkNewPassword(password: string): string | null {
  if (password.length < MIN_LENGTH) return `the password must have at least ${MIN_LENGTH} characters`;
  if (password.length > MAX_LENGTH) return `the password must have at most ${MAX_LENGTH} characters`;
  return null;
}
