import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** Suffix of the temporary files `writeFileAtomic` leaves behind if the process dies mid-write. */
export const TEMPORARY_FILE_SUFFIX = '.tmp';

/**
 * Replaces `file` so that readers see either the old content or the whole new content: write a
 * temporary file in the same directory, flush it to disk, rename it over the target, then flush
 * the directory so the rename itself survives a crash.
 */
export async function writeFileAtomic(file: string, content: string, mode = 0o644): Promise<void> {
  const directory = path.dirname(file);
  const temporary = path.join(directory, `.${path.basename(file)}.${randomBytes(6).toString('hex')}${TEMPORARY_FILE_SUFFIX}`);
  try {
    const handle = await open(temporary, 'wx', mode);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(directory);
}

async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
