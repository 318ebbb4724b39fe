/** The serve flags, read without starting anything. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidParameterException } from '../../src/errors.js';
import { DEFAULT_DATA_DIR } from '../../src/cli/flags.js';
import { DEFAULT_PORT, describeConfig, parseServeArgs, type ServeConfig } from '../../src/cli/serve-command.js';

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}): ServeConfig => {
  const config = parseServeArgs(argv, env);
  if (config === 'help') throw new Error('unexpected help');
  return config;
};

const refusal = (argv: string[], env: NodeJS.ProcessEnv = {}): Error => {
  try {
    parseServeArgs(argv, env);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidParameterException);
    return error as Error;
  }
  throw new Error(`accepted ${argv.join(' ')}`);
};

describe('parseServeArgs', () => {
  it('defaults to loopback, the default port and data dir, no buckets and no authentication', () => {
    const config = parse([]);
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: DEFAULT_PORT,
      dataDir: path.resolve(DEFAULT_DATA_DIR),
      buckets: {},
      awsRegion: 'us-east-1',
    });
    expect(config.credentials).toBeUndefined();
    expect(config.signingRegion).toBeUndefined();
    expect(config.s3Endpoint).toBeUndefined();
    expect(describeConfig(config, 'http://127.0.0.1:1').join('\n')).toMatch(/authentication: none; any request is accepted/);
  });

  it('reads every flag', () => {
    const config = parse([
      ...['--host', '0.0.0.0', '--port', '0', '--data-dir', 'state', '--bucket', 'media=videos', '--bucket', 'b2=/srv/b2'],
      ...['--s3-endpoint', 'http://127.0.0.1:4569', '--sns-endpoint', 'http://127.0.0.1:4575', '--region', 'eu-west-1'],
      ...['--access-key-id', 'AK', '--secret-access-key', 'SK', '--fps', '1', '--workers', '2', '--max-concurrent-jobs', '3'],
      ...['--tiling', 'off', '--queue', 'redis://127.0.0.1:6379', '--queue-name', 'jobs'],
      '--allow-any-video-format',
    ]);
    expect(config).toEqual({
      host: '0.0.0.0',
      port: 0,
      dataDir: path.resolve('state'),
      buckets: { media: path.resolve('videos'), b2: '/srv/b2' },
      s3Endpoint: 'http://127.0.0.1:4569',
      snsEndpoint: 'http://127.0.0.1:4575',
      credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' },
      signingRegion: 'eu-west-1',
      awsRegion: 'eu-west-1',
      analyze: { fps: 1, workers: 2, tiling: 'off' },
      maxConcurrentJobs: 3,
      allowAnyVideoFormat: true,
      queue: 'redis://127.0.0.1:6379',
      queueName: 'jobs',
      exitBeforeDispatch: false,
    });
    expect(describeConfig(config, 'http://0.0.0.0:1')).toContain('authentication: Signature V4 with access key AK, region eu-west-1');
    expect(parse([], { EDGE_LABEL_DETECTION_FAULT: 'exit-before-dispatch' }).exitBeforeDispatch).toBe(true);
  });

  it('takes the tiling from the environment unless --tiling names one, else leaves it to the model (its manifest)', () => {
    expect(parse([]).analyze.tiling).toBeUndefined();
    expect(parse([], { EDGE_LABEL_DETECTION_TILING: 'off' }).analyze.tiling).toBe('off');
    expect(parse(['--tiling', 'tiles'], { EDGE_LABEL_DETECTION_TILING: 'off' }).analyze.tiling).toBe('tiles');
  });

  it('takes credentials and the outgoing region from the environment', () => {
    const config = parse([], {
      EDGE_LABEL_DETECTION_ACCESS_KEY_ID: 'ENVAK',
      EDGE_LABEL_DETECTION_SECRET_ACCESS_KEY: 'ENVSK',
      AWS_REGION: 'ap-south-1',
    });
    expect(config.credentials).toEqual({ accessKeyId: 'ENVAK', secretAccessKey: 'ENVSK' });
    expect(config.awsRegion).toBe('ap-south-1');
    expect(config.signingRegion).toBeUndefined();
  });

  it('refuses bad values, naming the flag', () => {
    expect(refusal(['--port', '70000']).message).toMatch(/^--port/);
    expect(refusal(['--port', 'x']).message).toMatch(/^--port/);
    expect(refusal(['--bucket', 'nodirectory']).message).toMatch(/^--bucket/);
    expect(refusal(['--bucket', 'a=x', '--bucket', 'a=y']).message).toMatch(/bucket a is given twice/);
    expect(refusal(['--access-key-id', 'AK']).message).toMatch(/must be given together/);
    expect(refusal([], { EDGE_LABEL_DETECTION_SECRET_ACCESS_KEY: 'SK' }).message).toMatch(/must be given together/);
    expect(refusal(['--s3-endpoint', 'localhost:9000']).message).toMatch(/^--s3-endpoint/);
    expect(refusal(['--fps', '0']).message).toMatch(/^--fps/);
    expect(refusal(['--workers', '1.5']).message).toMatch(/^--workers/);
    expect(refusal(['--tiling', 'grid']).message).toMatch(/^--tiling: must be one of off, tiles/);
    expect(refusal([], { EDGE_LABEL_DETECTION_TILING: 'grid' }).message).toMatch(/^EDGE_LABEL_DETECTION_TILING must be one of off, tiles/);
    expect(refusal(['extra']).message).toMatch(/unexpected argument "extra"/);
  });

  it('answers --help', () => {
    expect(parseServeArgs(['--help'], {})).toBe('help');
  });
});
