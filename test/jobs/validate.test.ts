import { describe, expect, it } from 'vitest';
import { InvalidParameterException } from '../../src/errors.js';
import { validateGetLabelDetectionRequest, validateStartLabelDetectionRequest } from '../../src/jobs/validate.js';

const validStart = {
  Video: { S3Object: { Bucket: 'media', Name: 'clips/bottle.mp4' } },
  ClientRequestToken: 'token-1_A',
  MinConfidence: 50,
  NotificationChannel: {
    SNSTopicArn: 'arn:aws:sns:us-east-1:123456789012:label-jobs',
    RoleArn: 'arn:aws:iam::123456789012:role/RekognitionPublish',
  },
  JobTag: 'nightly:run=1/a.b-c+d',
  Features: ['GENERAL_LABELS'],
  Settings: {
    GeneralLabels: {
      LabelInclusionFilters: ['Bottle'],
      LabelExclusionFilters: ['Person'],
      LabelCategoryInclusionFilters: ['Food and Beverage'],
      LabelCategoryExclusionFilters: ["Women's Clothing"],
    },
  },
};

const validGet = { JobId: 'a'.repeat(64), MaxResults: 10, NextToken: 'abc', SortBy: 'NAME', AggregateBy: 'SEGMENTS' };

/** A copy of `request` with the value at the dotted `path` replaced (undefined deletes it). */
function withField<T extends object>(request: T, path: string, value: unknown): T {
  const copy = structuredClone(request) as Record<string, unknown>;
  const keys = path.split('.');
  const last = keys.pop() as string;
  let target = copy;
  for (const key of keys) target = target[key] as Record<string, unknown>;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return copy as T;
}

const filterList = 'Settings.GeneralLabels.LabelInclusionFilters';

describe('validateStartLabelDetectionRequest', () => {
  it('accepts a request using every field', () => {
    expect(validateStartLabelDetectionRequest(validStart)).toEqual(validStart);
  });

  it('accepts the smallest request', () => {
    const minimal = { Video: { S3Object: { Bucket: 'abc', Name: 'v.mp4' } } };
    expect(validateStartLabelDetectionRequest(minimal)).toEqual(minimal);
  });

  it('drops fields that are undefined or null, as the SDK and JSON clients send absent fields', () => {
    const request = { ...validStart, JobTag: undefined, MinConfidence: null };
    const { JobTag: _tag, MinConfidence: _confidence, ...expected } = validStart;
    expect(validateStartLabelDetectionRequest(request)).toEqual(expected);
  });

  it.each([
    ['MinConfidence', 0],
    ['MinConfidence', 100],
    ['MinConfidence', 55.5],
    ['Video.S3Object.Bucket', 'a'.repeat(255)],
    ['Video.S3Object.Bucket', 'my.bucket-name_1'],
    ['Video.S3Object.Name', 'n'.repeat(1024)],
    ['Video.S3Object.Version', 'v'.repeat(1024)],
    ['ClientRequestToken', 't'.repeat(64)],
    ['JobTag', 'j'.repeat(1024)],
    ['Features', []],
    [filterList, Array.from({ length: 100 }, (_, i) => `Label ${i}`)],
    [filterList, ['x'.repeat(50)]],
    ['NotificationChannel.RoleArn', 'arn:aws:iam::123456789012:role/path/to/Role'],
  ])('accepts %s = %j at the edge of its constraints', (field, value) => {
    expect(() => validateStartLabelDetectionRequest(withField(validStart, field, value))).not.toThrow();
  });

  it.each([
    ['Video', undefined, 'Video: is required'],
    ['Video', 'bucket/video.mp4', 'Video: must be an object'],
    ['Video.S3Object', undefined, 'Video.S3Object: is required'],
    ['Video.S3Object', [], 'Video.S3Object: must be an object'],
    ['Video.S3Object.Bucket', undefined, 'Video.S3Object.Bucket: is required'],
    ['Video.S3Object.Bucket', 42, 'Video.S3Object.Bucket: must be a string'],
    ['Video.S3Object.Bucket', 'ab', 'Video.S3Object.Bucket: must be 3-255 characters'],
    ['Video.S3Object.Bucket', 'b'.repeat(256), 'Video.S3Object.Bucket: must be 3-255 characters'],
    ['Video.S3Object.Bucket', 'my/bucket', 'Video.S3Object.Bucket: must match the pattern'],
    ['Video.S3Object.Name', undefined, 'Video.S3Object.Name: is required'],
    ['Video.S3Object.Name', '', 'Video.S3Object.Name: must be 1-1024 characters'],
    ['Video.S3Object.Name', 'n'.repeat(1025), 'Video.S3Object.Name: must be 1-1024 characters'],
    ['Video.S3Object.Version', '', 'Video.S3Object.Version: must be 1-1024 characters'],
    ['Video.S3Object.Region', 'us-east-1', 'Video.S3Object.Region: is not a known field'],
    ['ClientRequestToken', '', 'ClientRequestToken: must be 1-64 characters'],
    ['ClientRequestToken', 't'.repeat(65), 'ClientRequestToken: must be 1-64 characters'],
    ['ClientRequestToken', 'has space', 'ClientRequestToken: must match the pattern'],
    ['ClientRequestToken', 7, 'ClientRequestToken: must be a string'],
    ['MinConfidence', -0.1, 'MinConfidence: must be a number between 0 and 100'],
    ['MinConfidence', 100.5, 'MinConfidence: must be a number between 0 and 100'],
    ['MinConfidence', '50', 'MinConfidence: must be a number'],
    ['MinConfidence', Number.NaN, 'MinConfidence: must be a number'],
    ['NotificationChannel', 'arn:aws:sns:us-east-1:123456789012:t', 'NotificationChannel: must be an object'],
    ['NotificationChannel.SNSTopicArn', undefined, 'NotificationChannel.SNSTopicArn: is required'],
    ['NotificationChannel.SNSTopicArn', 'arn:aws:sqs:us-east-1:123456789012:queue', 'NotificationChannel.SNSTopicArn: must match the pattern'],
    ['NotificationChannel.RoleArn', undefined, 'NotificationChannel.RoleArn: is required'],
    ['NotificationChannel.RoleArn', 'arn:aws:iam::1234:role/Short', 'NotificationChannel.RoleArn: must match the pattern'],
    ['JobTag', '', 'JobTag: must be 1-1024 characters'],
    ['JobTag', 'j'.repeat(1025), 'JobTag: must be 1-1024 characters'],
    ['JobTag', 'with space', 'JobTag: must match the pattern'],
    ['Features', 'GENERAL_LABELS', 'Features: must be a list'],
    ['Features', ['GENERAL_LABELS', 'GENERAL_LABELS'], 'Features: must have at most 1 item'],
    ['Features', ['IMAGE_PROPERTIES'], 'Features[0]: must be one of GENERAL_LABELS'],
    ['Settings', 'none', 'Settings: must be an object'],
    ['Settings.GeneralLabels.MaxLabels', 5, 'Settings.GeneralLabels.MaxLabels: is not a known field'],
    [filterList, Array.from({ length: 101 }, (_, i) => `Label ${i}`), `${filterList}: must have at most 100 items`],
    [filterList, 'Bottle', `${filterList}: must be a list`],
    ['Settings.GeneralLabels.LabelCategoryExclusionFilters', ['x'.repeat(51)], 'Settings.GeneralLabels.LabelCategoryExclusionFilters[0]: must be at most 50 characters'],
    [filterList, ['Bottle!'], `${filterList}[0]: must match the pattern`],
    [filterList, [3], `${filterList}[0]: must be a string`],
  ])('refuses %s = %j with "%s"', (field, value, message) => {
    const attempt = () => validateStartLabelDetectionRequest(withField(validStart, field, value));
    expect(attempt).toThrow(InvalidParameterException);
    expect(attempt).toThrow(message);
  });

  it('refuses unknown top-level fields', () => {
    expect(() => validateStartLabelDetectionRequest({ ...validStart, MaxLabels: 10 })).toThrow('MaxLabels: is not a known field');
  });

  it('refuses a request that is not an object', () => {
    expect(() => validateStartLabelDetectionRequest('video.mp4')).toThrow(InvalidParameterException);
    expect(() => validateStartLabelDetectionRequest(undefined)).toThrow(InvalidParameterException);
  });

  it('names the offending list item by index', () => {
    const request = withField(validStart, filterList, ['Bottle', 'Cup', 'Bad$Label']);
    expect(() => validateStartLabelDetectionRequest(request)).toThrow(`${filterList}[2]: must match the pattern`);
  });
});

describe('validateGetLabelDetectionRequest', () => {
  it('accepts a request using every field', () => {
    expect(validateGetLabelDetectionRequest(validGet)).toEqual(validGet);
  });

  it.each([
    ['MaxResults', 1],
    ['MaxResults', 1000],
    ['MaxResults', 5000],
    ['NextToken', 't'.repeat(255)],
    ['NextToken', ''],
    ['SortBy', 'TIMESTAMP'],
    ['AggregateBy', 'TIMESTAMPS'],
    ['JobId', 'x'],
  ])('accepts %s = %j', (field, value) => {
    expect(() => validateGetLabelDetectionRequest(withField(validGet, field, value))).not.toThrow();
  });

  it.each([
    ['JobId', undefined, 'is required'],
    ['JobId', '', 'must be 1-64 characters'],
    ['JobId', 'j'.repeat(65), 'must be 1-64 characters'],
    ['JobId', '../etc/passwd', 'must match the pattern'],
    ['JobId', 12, 'must be a string'],
    ['MaxResults', 0, 'must be an integer >= 1'],
    ['MaxResults', -3, 'must be an integer >= 1'],
    ['MaxResults', 2.5, 'must be an integer'],
    ['MaxResults', '10', 'must be an integer'],
    ['NextToken', 't'.repeat(256), 'must be at most 255 characters'],
    ['NextToken', 5, 'must be a string'],
    ['SortBy', 'name', 'must be one of NAME, TIMESTAMP'],
    ['SortBy', 'CONFIDENCE', 'must be one of NAME, TIMESTAMP'],
    ['AggregateBy', 'SEGMENT', 'must be one of TIMESTAMPS, SEGMENTS'],
    ['AggregateBy', 1, 'must be one of TIMESTAMPS, SEGMENTS'],
    ['Labels', [], 'is not a known field'],
  ])('refuses %s = %j: %s', (field, value, problem) => {
    const attempt = () => validateGetLabelDetectionRequest(withField(validGet, field, value));
    expect(attempt).toThrow(InvalidParameterException);
    expect(attempt).toThrow(`${field}: ${problem}`);
  });
});
