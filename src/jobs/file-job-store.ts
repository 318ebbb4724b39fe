/**
 * Jobs as one JSON file each under `<dataDir>/jobs/`, written atomically, so results survive a
 * restart. One process at a time runs jobs from a data directory; others may read it.
 */
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { internalServerError } from '../errors.js';
import { TEMPORARY_FILE_SUFFIX, writeFileAtomic } from './atomic-file.js';
import { failJob, parseJobRecord, type JobRecord } from './job-record.js';
import { ClientRequestTokenIndex, type JobStore } from './job-store.js';

export const INTERRUPTED_BY_RESTART_MESSAGE = 'The job was interrupted by a restart before it finished; start it again';

const RECORD_SUFFIX = '.json';
const OWNER_FILE = 'owner.pid';
/** Job ids are validated before they reach a store; this keeps any other string from becoming a path. */
const SAFE_JOB_ID = /^[A-Za-z0-9_-]{1,64}$/;

export class FileJobStore implements JobStore {
  readonly #directory: string;
  readonly #tokens = new ClientRequestTokenIndex();

  private constructor(directory: string) {
    this.#directory = directory;
  }

  /**
   * Opens (creating if needed) the store in `dataDir`. Unreadable records are skipped. Unless another
   * live process holds the directory (a server, while a report reads its results), this process
   * takes it over: temporary files of interrupted writes are removed, and jobs left IN_PROGRESS by
   * the process that died end FAILED.
   */
  static async open(dataDir: string, nowMs = Date.now()): Promise<FileJobStore> {
    const store = new FileJobStore(path.join(path.resolve(dataDir), 'jobs'));
    await mkdir(store.#directory, { recursive: true });
    const owner = await claimDirectory(store.#directory);
    for (const entry of await readdir(store.#directory)) {
      if (owner && entry.endsWith(TEMPORARY_FILE_SUFFIX)) await rm(path.join(store.#directory, entry), { force: true });
      if (!entry.endsWith(RECORD_SUFFIX)) continue;
      const record = await store.get(entry.slice(0, -RECORD_SUFFIX.length)).catch(() => undefined);
      if (!record) continue;
      if (owner && record.JobStatus === 'IN_PROGRESS') await store.put(failJob(record, INTERRUPTED_BY_RESTART_MESSAGE, nowMs));
      else store.#tokens.remember(record);
    }
    return store;
  }

  async get(jobId: string): Promise<JobRecord | undefined> {
    if (!SAFE_JOB_ID.test(jobId)) return undefined;
    const file = this.#fileOf(jobId);
    let content: string;
    try {
      content = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return parseJobRecord(content, jobId, file);
  }

  async put(record: JobRecord): Promise<void> {
    if (!SAFE_JOB_ID.test(record.JobId)) throw internalServerError(`Refusing to store a job with the id ${record.JobId}`);
    await writeFileAtomic(this.#fileOf(record.JobId), JSON.stringify(record));
    this.#tokens.remember(record);
  }

  async findByClientRequestToken(token: string): Promise<JobRecord | undefined> {
    const jobId = this.#tokens.jobIdFor(token);
    return jobId === undefined ? undefined : this.get(jobId);
  }

  #fileOf(jobId: string): string {
    return path.join(this.#directory, `${jobId}${RECORD_SUFFIX}`);
  }
}

/** Records this process as the directory's owner unless another live process already is; true when this process owns it. */
async function claimDirectory(directory: string): Promise<boolean> {
  const ownerFile = path.join(directory, OWNER_FILE);
  const owner = Number((await readFile(ownerFile, 'utf8').catch(() => '')).trim());
  if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) return false;
  await writeFileAtomic(ownerFile, String(process.pid));
  return true;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
