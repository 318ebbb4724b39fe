import { describe, expect, it } from 'vitest';
import type { LabelDetection } from '@aws-sdk/client-rekognition';
import {
  InternalServerError,
  InvalidPaginationTokenException,
  InvalidParameterException,
} from '../../src/errors.js';
import {
  buildGetLabelDetectionResponse,
  type GetLabelDetectionInput,
  type LabelDetectionJob,
} from '../../src/response/index.js';
import { analysisOf, label, seen, timeline } from './fixtures.js';

const video = { S3Object: { Bucket: 'videos', Name: 'street.mp4' } };
const job = (overrides: Partial<LabelDetectionJob> = {}): LabelDetectionJob => ({
  JobId: 'job-1',
  JobStatus: 'SUCCEEDED',
  Video: video,
  JobTag: 'tag-1',
  minConfidence: 50,
  ...overrides,
});
const analysis = analysisOf(
  [
    timeline(label('Animal'), [seen(0, 80), seen(1000, 45)]),
    timeline(label('Car', { categories: ['Vehicles and Automotive'] }), [seen(0, 90, [90, 40]), seen(2000, 30)]),
    timeline(label('Dog', { parents: ['Animal'] }), [seen(0, 80, [80]), seen(1000, 45, [45])]),
  ],
  { durationMs: 5000 },
);
const respond = (overrides: Partial<GetLabelDetectionInput> = {}) =>
  buildGetLabelDetectionResponse({ job: job(), analysis, request: {}, tokenSecret: 'secret', now: 0, ...overrides });
const defaults = { SortBy: 'TIMESTAMP', AggregateBy: 'TIMESTAMPS' };

describe('buildGetLabelDetectionResponse', () => {
  it('while IN_PROGRESS returns the job and no labels, and omits what does not exist yet', () => {
    expect(
      respond({ job: job({ JobStatus: 'IN_PROGRESS', StatusMessage: 'ignored', JobTag: undefined }), analysis: undefined }),
    ).toStrictEqual({
      JobStatus: 'IN_PROGRESS',
      Labels: [],
      JobId: 'job-1',
      Video: video,
      GetRequestMetadata: defaults,
    });
  });

  it('when FAILED returns the StatusMessage', () => {
    const response = respond({ job: job({ JobStatus: 'FAILED', StatusMessage: 'Unsupported codec' }), analysis: undefined });
    expect(response.StatusMessage).toBe('Unsupported codec');
    expect(response.Labels).toEqual([]);
  });

  it('when SUCCEEDED returns the labels that pass MinConfidence, with video metadata and model version', () => {
    expect(respond()).toStrictEqual({
      JobStatus: 'SUCCEEDED',
      VideoMetadata: analysis.videoMetadata,
      Labels: [
        {
          Timestamp: 0,
          Label: { Name: 'Animal', Confidence: 80, Instances: [], Parents: [], Aliases: [], Categories: [] },
        },
        {
          Timestamp: 0,
          Label: {
            Name: 'Car',
            Confidence: 90,
            Instances: [{ BoundingBox: { Width: 0.3, Height: 0.4, Left: 0.1, Top: 0.2 }, Confidence: 90 }],
            Parents: [],
            Aliases: [],
            Categories: [{ Name: 'Vehicles and Automotive' }],
          },
        },
        {
          Timestamp: 0,
          Label: {
            Name: 'Dog',
            Confidence: 80,
            Instances: [{ BoundingBox: { Width: 0.3, Height: 0.4, Left: 0.1, Top: 0.2 }, Confidence: 80 }],
            Parents: [{ Name: 'Animal' }],
            Aliases: [],
            Categories: [],
          },
        },
      ],
      LabelModelVersion: '3.0',
      JobId: 'job-1',
      Video: video,
      JobTag: 'tag-1',
      GetRequestMetadata: defaults,
    });
  });

  it('applies the job’s GeneralLabels filters', () => {
    const response = respond({ job: job({ generalLabels: { LabelCategoryExclusionFilters: ['Vehicles and Automotive'] } }) });
    expect(response.Labels?.map((detection) => detection.Label?.Name)).toEqual(['Animal', 'Dog']);
  });

  it('echoes the chosen SortBy and AggregateBy and applies them', () => {
    const response = respond({ job: job({ minConfidence: 0 }), request: { SortBy: 'NAME', AggregateBy: 'SEGMENTS' } });
    expect(response.GetRequestMetadata).toEqual({ SortBy: 'NAME', AggregateBy: 'SEGMENTS' });
    expect(
      response.Labels?.map((detection) => [
        detection.Label?.Name,
        detection.StartTimestampMillis,
        detection.EndTimestampMillis,
        detection.Label?.Confidence,
      ]),
    ).toEqual([
      ['Animal', 0, 2000, 80],
      // 0 and 2000 are one absent second apart: within the default tolerance.
      ['Car', 0, 3000, 90],
      ['Dog', 0, 2000, 80],
    ]);
  });

  it('pages through the labels, repeating the video metadata on every page', () => {
    const everything = respond({ job: job({ minConfidence: 0 }) }).Labels;
    const pages: LabelDetection[][] = [];
    let NextToken: string | undefined;
    do {
      const response = respond({ job: job({ minConfidence: 0 }), request: { MaxResults: 2, NextToken } });
      expect(response.VideoMetadata).toEqual(analysis.videoMetadata);
      pages.push(response.Labels ?? []);
      NextToken = response.NextToken;
    } while (NextToken);
    expect(everything).toHaveLength(6);
    expect(pages.map((page) => page.length)).toEqual([2, 2, 2]);
    expect(pages.flat()).toEqual(everything);
  });

  it('rejects a NextToken from another sort order', () => {
    const { NextToken } = respond({ job: job({ minConfidence: 0 }), request: { MaxResults: 1 } });
    expect(() => respond({ request: { SortBy: 'NAME', NextToken } })).toThrow(InvalidPaginationTokenException);
  });

  it('checks a NextToken even while the job is IN_PROGRESS', () => {
    expect(() =>
      respond({ job: job({ JobStatus: 'IN_PROGRESS' }), analysis: undefined, request: { NextToken: 'forged.token' } }),
    ).toThrow(InvalidPaginationTokenException);
  });

  it('rejects an unknown SortBy or AggregateBy naming the field', () => {
    expect(() => respond({ request: { SortBy: 'CONFIDENCE' as never } })).toThrow(InvalidParameterException);
    expect(() => respond({ request: { SortBy: 'CONFIDENCE' as never } })).toThrow(/SortBy/);
    expect(() => respond({ request: { AggregateBy: 'FRAMES' as never } })).toThrow(/AggregateBy/);
  });

  it('rejects MaxResults below 1 naming the field', () => {
    expect(() => respond({ request: { MaxResults: 0 } })).toThrow(InvalidParameterException);
    expect(() => respond({ request: { MaxResults: 0 } })).toThrow(/MaxResults/);
  });

  it('treats a SUCCEEDED job without an analysis as an internal error', () => {
    expect(() => respond({ analysis: undefined })).toThrow(InternalServerError);
  });
});
