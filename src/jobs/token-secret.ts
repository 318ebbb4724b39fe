import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './atomic-file.js';

const SECRET_FILE = 'pagination-token-secret';

export const newTokenSecret = (): string => randomBytes(32).toString('hex');

/** The secret that signs NextTokens, kept in the data directory so tokens stay valid across restarts. */
export async function persistentTokenSecret(dataDir: string): Promise<string> {
  const file = path.join(path.resolve(dataDir), SECRET_FILE);
  try {
    const secret = (await readFile(file, 'utf8')).trim();
    if (secret.length > 0) return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(path.dirname(file), { recursive: true });
  const secret = newTokenSecret();
  await writeFileAtomic(file, secret, 0o600);
  return secret;
}
