import { randomBytes } from 'node:crypto';
import bcrypt from 'bcrypt';

export function hashPassword(password: string, rounds: number): Promise<string> {
  return bcrypt.hash(password, rounds);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

const dummyHashes = new Map<number, Promise<string>>();

/** Burns the same bcrypt time as a real check, so an unknown email cannot be told apart by timing. */
export async function burnPasswordCheck(password: string, rounds: number): Promise<void> {
  let dummy = dummyHashes.get(rounds);
  if (!dummy) {
    dummy = bcrypt.hash(randomBytes(16).toString('hex'), rounds);
    dummyHashes.set(rounds, dummy);
  }
  await bcrypt.compare(password, await dummy);
}

/** A random password that satisfies the policy, for first start and for resets without a chosen password. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
