import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InternalServerError } from '../../src/errors.js';
import { writeFileAtomic } from '../../src/jobs/atomic-file.js';
import { FileJobStore, INTERRUPTED_BY_RESTART_MESSAGE } from '../../src/jobs/file-job-store.js';
import { newJob, succeedJob, type JobRecord } from '../../src/jobs/job-record.js';
import { bottleAnalysis } from './fixtures.js';

const request = { Video: { S3Object: { Bucket: 'media', Name: 'a.mp4' } }, ClientRequestToken: 'tok' };

describe('FileJobStore', () => {
  let dataDir: string;
  const jobsDir = () => path.join(dataDir, 'jobs');

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'file-store-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('returns what was stored, including the analysis, after reopening', async () => {
    const job = succeedJob(newJob(request, 1000), bottleAnalysis, 2000);
    await (await FileJobStore.open(dataDir)).put(job);
    const reopened = await FileJobStore.open(dataDir);
    expect(await reopened.get(job.JobId)).toEqual(job);
    expect(await reopened.findByClientRequestToken('tok')).toEqual(job);
  });

  it('answers undefined for unknown and path-like job ids', async () => {
    const store = await FileJobStore.open(dataDir);
    expect(await store.get('f'.repeat(64))).toBeUndefined();
    expect(await store.get('../jobs/x')).toBeUndefined();
  });

  it('never reads back a leftover temporary file of an interrupted write, and removes it on open', async () => {
    const store = await FileJobStore.open(dataDir);
    const job = newJob(request, 1000);
    const temporary = path.join(jobsDir(), `.${job.JobId}.json.abcdef.tmp`);
    await writeFile(temporary, JSON.stringify(job));
    expect(await store.get(job.JobId)).toBeUndefined();
    const reopened = await FileJobStore.open(dataDir);
    expect(await reopened.get(job.JobId)).toBeUndefined();
    expect(await reopened.findByClientRequestToken('tok')).toBeUndefined();
    expect((await readdir(jobsDir())).filter((entry) => entry.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a truncated record with InternalServerError and skips it when opening', async () => {
    const job = succeedJob(newJob(request, 1000), bottleAnalysis, 2000);
    const serialized = JSON.stringify(job);
    await FileJobStore.open(dataDir);
    await writeFile(path.join(jobsDir(), `${job.JobId}.json`), serialized.slice(0, serialized.length / 2));
    const store = await FileJobStore.open(dataDir);
    await expect(store.get(job.JobId)).rejects.toThrow(InternalServerError);
    expect(await store.findByClientRequestToken('tok')).toBeUndefined();
  });

  it('refuses a record stored under another job id', async () => {
    const job = newJob(request, 1000);
    const store = await FileJobStore.open(dataDir);
    await writeFile(path.join(jobsDir(), `${'0'.repeat(64)}.json`), JSON.stringify(job));
    await expect(store.get('0'.repeat(64))).rejects.toThrow(/damaged/);
  });

  it('ends jobs that a dead process left IN_PROGRESS as FAILED, durably', async () => {
    const running = newJob(request, 1000);
    const done = succeedJob(newJob({ ...request, ClientRequestToken: 'other' }, 1000), bottleAnalysis, 1500);
    const first = await FileJobStore.open(dataDir);
    await first.put(running);
    await first.put(done);

    await FileJobStore.open(dataDir, 5000);
    const afterSecondRestart = await FileJobStore.open(dataDir, 9000);
    const interrupted = (await afterSecondRestart.get(running.JobId)) as JobRecord;
    expect(interrupted.JobStatus).toBe('FAILED');
    expect(interrupted.StatusMessage).toBe(INTERRUPTED_BY_RESTART_MESSAGE);
    expect(interrupted.StatusMessage).toMatch(/interrupted by a restart/);
    expect(interrupted.endedAtMs).toBe(5000);
    expect(await afterSecondRestart.get(done.JobId)).toEqual(done);
    expect(await afterSecondRestart.findByClientRequestToken('tok')).toEqual(interrupted);
  });

  describe('while another process holds the directory', () => {
    const startProcess = () => spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });

    it('leaves its IN_PROGRESS jobs and its temporary files alone, since they are really in progress', async () => {
      const running = newJob(request, 1000);
      await (await FileJobStore.open(dataDir)).put(running);
      const temporary = path.join(jobsDir(), `.${running.JobId}.json.abcdef.tmp`);
      await writeFile(temporary, '{"partial');
      const server = startProcess();
      try {
        await writeFile(path.join(jobsDir(), 'owner.pid'), String(server.pid));
        const reader = await FileJobStore.open(dataDir);
        expect((await reader.get(running.JobId))?.JobStatus).toBe('IN_PROGRESS');
        expect(await readdir(jobsDir())).toContain(path.basename(temporary));
      } finally {
        server.kill();
      }
    });

    it('takes the directory over once that process is gone', async () => {
      const running = newJob(request, 1000);
      await (await FileJobStore.open(dataDir)).put(running);
      const server = startProcess();
      const exited = once(server, 'exit');
      server.kill();
      await exited;
      await writeFile(path.join(jobsDir(), 'owner.pid'), String(server.pid));
      const next = await FileJobStore.open(dataDir);
      expect((await next.get(running.JobId))?.JobStatus).toBe('FAILED');
      expect(await readFile(path.join(jobsDir(), 'owner.pid'), 'utf8')).toBe(String(process.pid));
    });
  });

  it('finds the newest job of a token', async () => {
    const store = await FileJobStore.open(dataDir);
    const older = newJob(request, 1000);
    const newer = newJob(request, 2000);
    await store.put(newer);
    await store.put(older);
    expect((await store.findByClientRequestToken('tok'))?.JobId).toBe(newer.JobId);
    expect((await (await FileJobStore.open(dataDir)).findByClientRequestToken('tok'))?.JobId).toBe(newer.JobId);
  });
});

describe('writeFileAtomic', () => {
  it('leaves one complete version among concurrent writers and no temporary files', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'atomic-'));
    const file = path.join(directory, 'record.json');
    const versions = Array.from({ length: 20 }, (_, i) => JSON.stringify({ writer: i, payload: 'x'.repeat(100_000 + i) }));
    await Promise.all(versions.map((content) => writeFileAtomic(file, content)));
    expect(versions).toContain(await readFile(file, 'utf8'));
    expect(await readdir(directory)).toEqual(['record.json']);
    await rm(directory, { recursive: true, force: true });
  });
});
