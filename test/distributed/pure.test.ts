/** The distributed mode's pure parts: throughput, status lines, flag parsing. No Redis, no model. */
import { describe, expect, it } from 'vitest';
import { parseWorkerArgs } from '../../src/cli/worker-command.js';
import { ThroughputMeter, type WorkerHeartbeat } from '../../src/distributed/heartbeat.js';
import { formatQueueStatus } from '../../src/distributed/queue-status.js';
import { parseQueueUrl } from '../../src/distributed/redis-connection.js';
import { InvalidParameterException } from '../../src/errors.js';

describe('ThroughputMeter', () => {
  it('is 0 before two samples exist', () => {
    const meter = new ThroughputMeter(10_000);
    expect(meter.framesPerSecond()).toBe(0);
    meter.record(1_000, 5);
    expect(meter.framesPerSecond()).toBe(0);
  });

  it('divides the frames added over the window by its length', () => {
    const meter = new ThroughputMeter(10_000);
    meter.record(0, 0);
    meter.record(2_000, 10);
    meter.record(4_000, 20);
    // 20 frames in 4 s.
    expect(meter.framesPerSecond()).toBe(5);
  });

  it('forgets what happened before the window, so an idle worker drops to 0', () => {
    const meter = new ThroughputMeter(10_000);
    meter.record(0, 0);
    meter.record(5_000, 100);
    meter.record(20_000, 100);
    meter.record(30_000, 100);
    expect(meter.framesPerSecond()).toBe(0);
  });
});

describe('formatQueueStatus', () => {
  const worker: WorkerHeartbeat = {
    name: 'gpu-box:41',
    host: 'gpu-box',
    pid: 41,
    backend: 'tensorflow',
    provider: '@tensorflow/tfjs-node-gpu',
    model: 'centernet',
    detectorThreads: 1,
    concurrency: 2,
    state: 'running',
    startedAtMs: 0,
    sentAtMs: 9_000,
    activeJobIds: ['a', 'b'],
    jobsEnded: 7,
    framesDone: 1234,
    framesPerSecond: 30.25,
  };

  it('prints the counts by state and one line per worker with its throughput and age', () => {
    const lines = formatQueueStatus({
      url: 'redis://10.0.0.5:6379',
      queueName: 'edge-label-detection',
      counts: { waiting: 3, active: 2, delayed: 0, completed: 40, failed: 1 },
      workers: [worker, { ...worker, name: 'cpu-box:7', backend: 'wasm', provider: '@tensorflow/tfjs-backend-wasm', framesPerSecond: 1.5, detectorThreads: 2, sentAtMs: 10_000 }],
      readAtMs: 10_500,
    });
    expect(lines).toEqual([
      'queue edge-label-detection at redis://10.0.0.5:6379',
      'jobs: 3 waiting, 2 active, 0 delayed, 40 completed, 1 failed',
      'workers: 2, 31.8 frames/s together (last 10 s)',
      '  gpu-box:41 | running | tensorflow (@tensorflow/tfjs-node-gpu) | centernet x1 thread | concurrency 2 | 2 active | 7 done | 1234 frames | 30.3 frames/s | seen 1.5 s ago',
      '  cpu-box:7 | running | wasm (@tensorflow/tfjs-backend-wasm) | centernet x2 threads | concurrency 2 | 2 active | 7 done | 1234 frames | 1.5 frames/s | seen 0.5 s ago',
    ]);
  });
});

describe('parseQueueUrl', () => {
  it('accepts redis:// and rediss:// URLs', () => {
    expect(parseQueueUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(parseQueueUrl('rediss://queue.example:6380/2')).toBe('rediss://queue.example:6380/2');
  });

  it.each(['127.0.0.1:6379', 'http://127.0.0.1:6379', 'redis://', ''])('refuses %j, naming the flag', (value) => {
    expect(() => parseQueueUrl(value)).toThrow(InvalidParameterException);
    expect(() => parseQueueUrl(value)).toThrow(/^--queue: /);
  });
});

describe('parseWorkerArgs', () => {
  it('turns seconds into milliseconds and buckets into absolute directories', () => {
    const config = parseWorkerArgs([
      ...['--queue', 'redis://127.0.0.1:6379', '--bucket', 'media=/srv/videos', '--fps', '1', '--workers', '1', '--tiling', 'tiles'],
      ...['--concurrency', '2', '--lock-duration', '2.5', '--stalled-interval', '1', '--max-stalled-count', '0', '--drain-timeout', '60'],
    ]);
    expect(config).toEqual({
      worker: {
        url: 'redis://127.0.0.1:6379',
        queueName: undefined,
        buckets: { media: '/srv/videos' },
        allowAnyVideoFormat: false,
        analyze: { fps: 1, model: undefined, modelPath: undefined, workers: 1, tiling: 'tiles' },
        concurrency: 2,
        lockDurationMs: 2500,
        stalledIntervalMs: 1000,
        maxStalledCount: 0,
        name: undefined,
      },
      drainTimeoutMs: 60_000,
    });
  });

  it.each([
    [[], /^--queue: required/],
    [['--queue', 'redis://h:1', '--bucket', 'media'], /^--bucket: expected <name>=<directory>/],
    [['--queue', 'redis://h:1', '--concurrency', '0'], /^--concurrency: must be an integer >= 1/],
    [['--queue', 'redis://h:1', '--max-stalled-count=-1'], /^--max-stalled-count: must be an integer >= 0/],
    [['--queue', 'redis://h:1', '--lock-duration', 'soon'], /^--lock-duration: must be a number of seconds/],
    [['--queue', 'redis://h:1', 'extra'], /^worker: unexpected argument "extra"/],
    [['--queue', 'redis://h:1', '--tiling', 'grid'], /^--tiling: must be one of off, tiles/],
  ])('refuses %j with InvalidParameterException naming the flag', (argv, message) => {
    expect(() => parseWorkerArgs(argv)).toThrow(InvalidParameterException);
    expect(() => parseWorkerArgs(argv)).toThrow(message);
  });

  it('refuses a bad EDGE_LABEL_DETECTION_TILING at start-up, naming the variable', () => {
    const argv = ['--queue', 'redis://h:1'];
    expect(() => parseWorkerArgs(argv, { EDGE_LABEL_DETECTION_TILING: 'grid' })).toThrow(InvalidParameterException);
    expect(() => parseWorkerArgs(argv, { EDGE_LABEL_DETECTION_TILING: 'grid' })).toThrow(/^EDGE_LABEL_DETECTION_TILING must be one of off, tiles/);
  });
});
