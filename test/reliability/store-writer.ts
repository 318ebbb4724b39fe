/**
 * Writes one job record over and over, alternating a large and a small version, until it is
 * killed; prints `writing` once the first version is stored. Run as its own process by
 * faults.test.ts, which kills it in the middle of a write.
 */
import { FileJobStore } from '../../src/jobs/file-job-store.js';
import type { JobRecord } from '../../src/jobs/job-record.js';

const [dataDir = ''] = process.argv.slice(2);
const store = await FileJobStore.open(dataDir);
const version = (generation: number): JobRecord => ({
  JobId: 'interrupted-write',
  JobStatus: 'FAILED',
  // Large and small versions alternate, so a torn write would show as invalid JSON or a short record.
  StatusMessage: `generation ${generation} `.padEnd(generation % 2 === 0 ? 400_000 : 10, 'x'),
  request: { Video: { S3Object: { Bucket: 'media', Name: 'clip.mp4' } } },
  createdAtMs: 0,
  endedAtMs: generation,
});
for (let generation = 0; ; generation += 1) {
  await store.put(version(generation));
  if (generation === 0) process.stdout.write('writing\n');
}
