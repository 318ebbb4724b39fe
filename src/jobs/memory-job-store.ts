import type { JobRecord } from './job-record.js';
import { ClientRequestTokenIndex, type JobStore } from './job-store.js';

/** Jobs kept for the life of the process only. */
export class MemoryJobStore implements JobStore {
  readonly #jobs = new Map<string, JobRecord>();
  readonly #tokens = new ClientRequestTokenIndex();

  async get(jobId: string): Promise<JobRecord | undefined> {
    return this.#jobs.get(jobId);
  }

  async put(record: JobRecord): Promise<void> {
    this.#jobs.set(record.JobId, record);
    this.#tokens.remember(record);
  }

  async findByClientRequestToken(token: string): Promise<JobRecord | undefined> {
    const jobId = this.#tokens.jobIdFor(token);
    return jobId === undefined ? undefined : this.#jobs.get(jobId);
  }
}
