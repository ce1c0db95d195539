// Small file helpers shared by the state file and the spool.
import { randomUUID } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** Suffix of in-progress writes; anything carrying it after a crash is garbage. */
export const TEMP_SUFFIX = '.tmp';

/**
 * Write a file so that readers (and a crash) see either the old content or the complete new one:
 * write a temp file in the same directory, fsync it, then rename it over the target.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomUUID()}${TEMP_SUFFIX}`);
  const handle = await open(tmp, 'w', mode);
  try {
    await handle.writeFile(data);
    await handle.chmod(mode); // the umask may have narrowed or widened the create mode
    await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
