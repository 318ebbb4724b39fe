import type { JobRecord } from './job-record.js';

/** Where jobs live. Records are replaced whole; a store never hands back a half-written record. */
export interface JobStore {
  get(jobId: string): Promise<JobRecord | undefined>;
  put(record: JobRecord): Promise<void>;
  /** The newest job started with this ClientRequestToken, whatever its age. */
  findByClientRequestToken(token: string): Promise<JobRecord | undefined>;
  /**
   * Stores a new job unless a live job already holds its ClientRequestToken, in one atomic step, and
   * returns the job that holds the token (the new one when it was stored). Stores shared by several
   * processes need it; a store used by one client is covered by that client's one-at-a-time starts.
   */
  putNew?(record: JobRecord): Promise<JobRecord>;
}

/** Token -> newest job id, the index both stores keep in memory. */
export class ClientRequestTokenIndex {
  readonly #newest = new Map<string, { jobId: string; createdAtMs: number }>();

  remember(record: JobRecord): void {
    const token = record.request.ClientRequestToken;
    if (token === undefined) return;
    const known = this.#newest.get(token);
    if (!known || known.createdAtMs <= record.createdAtMs) {
      this.#newest.set(token, { jobId: record.JobId, createdAtMs: record.createdAtMs });
    }
  }

  jobIdFor(token: string): string | undefined {
    return this.#newest.get(token)?.jobId;
  }
}
