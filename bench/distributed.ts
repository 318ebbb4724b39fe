/**
 * Distributed-mode throughput: the same jobs through 1 worker process, then 2, each with one
 * detector thread, on one machine and one private Redis. Worker start-up (model load) is outside
 * the timing; the clock runs from the first StartLabelDetection to the last job's end, so queueing,
 * Redis round trips and result writes are included. Run with `node --import tsx bench/distributed.ts`.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { createClientForQueue } from '../src/distributed/queue-client.js';
import { readHeartbeats } from '../src/distributed/heartbeat.js';
import { RedisJobStore } from '../src/distributed/redis-job-store.js';
import { openRedis, projectKeys } from '../src/distributed/redis-connection.js';
import { media } from '../test/media.js';
import { startRedisServer } from '../test/distributed/redis-server.js';
import { killWorkerProcess, startWorkerProcess } from '../test/distributed/worker-processes.js';

const JOBS = 6;
const FPS = 1;
const bottleVideo = { S3Object: { Bucket: 'media', Name: 'bottle-detection.mp4' } };

interface Run {
  workers: number;
  frames: number;
  seconds: number;
  framesPerSecond: number;
  backend: string;
  model: string;
  loadBefore: number;
}

async function timeJobs(url: string, workerCount: number): Promise<Run> {
  const queueName = `bench-${workerCount}-workers`;
  const keys = projectKeys(queueName);
  const args = (index: number) => ['--queue', url, '--queue-name', queueName, '--bucket', `media=${media.directory}`, '--fps', String(FPS), '--workers', '1', '--name', `bench-${index}`];
  const workers = await Promise.all(Array.from({ length: workerCount }, (_, index) => startWorkerProcess(args(index))));
  const client = await createClientForQueue(url, { queueName, buckets: { media: media.directory } });
  const redis = await openRedis(url);
  const store = new RedisJobStore(redis, keys);
  try {
    const [heartbeat] = await readHeartbeats(redis, keys);
    const loadBefore = loadavg()[0] ?? 0;
    const startedAt = process.hrtime.bigint();
    const jobIds: string[] = [];
    for (let index = 0; index < JOBS; index += 1) jobIds.push((await client.startLabelDetection({ Video: bottleVideo })).JobId as string);
    let frames = 0;
    for (const jobId of jobIds) {
      for (;;) {
        const job = await store.get(jobId);
        if (job?.JobStatus === 'FAILED') throw new Error(`job ${jobId} FAILED: ${job.StatusMessage}`);
        if (job?.JobStatus === 'SUCCEEDED') {
          frames += job.analysis?.analysedTimestampsMs.length ?? 0;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    return { workers: workerCount, frames, seconds, framesPerSecond: frames / seconds, backend: `${heartbeat?.backend} (${heartbeat?.provider})`, model: heartbeat?.model ?? '?', loadBefore };
  } finally {
    await client.destroy();
    redis.disconnect();
    await Promise.all(workers.map(killWorkerProcess));
  }
}

const redisServer = await startRedisServer();
try {
  const one = await timeJobs(redisServer.url, 1);
  const two = await timeJobs(redisServer.url, 2);
  console.log(`machine: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} CPUs, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`);
  console.log(`backend: ${one.backend}; model: ${one.model}; 1 detector thread per worker process`);
  console.log(`input: ${JOBS} jobs of bottle-detection.mp4 at ${FPS} fps, through BullMQ on a local redis-server`);
  for (const run of [one, two]) {
    console.log(
      `${run.workers} worker process${run.workers === 1 ? '' : 'es'}: ${run.frames} frames in ${run.seconds.toFixed(1)} s = ${run.framesPerSecond.toFixed(2)} frames/s (1-min load average before: ${run.loadBefore.toFixed(2)})`,
    );
  }
  console.log(`ratio 2 workers / 1 worker: ${(two.framesPerSecond / one.framesPerSecond).toFixed(3)} (target >= 1.7 on 2 cores)`);
} finally {
  await redisServer.stop();
}
