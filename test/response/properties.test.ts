import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GeneralLabelsSettings, LabelDetection } from '@aws-sdk/client-rekognition';
import { buildGetLabelDetectionResponse, type GetLabelDetectionInput } from '../../src/response/index.js';
import type { LabelTimeline, VideoAnalysis } from '../../src/types.js';

const labelNames = ['Animal', 'Bicycle', 'Car', 'Cat', 'Dog', 'Person', 'T-Shirt', 'Tie', 'bird'];
const categoryNames = ['Animals and Pets', 'Vehicles and Automotive', 'Apparel'];
const confidence = fc.oneof(fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 100, noNaN: true }));

const arbitraryAnalysis: fc.Arbitrary<VideoAnalysis> = fc
  .record({
    sampleIntervalMs: fc.constantFrom(100, 200, 1000, 1000 / 29.97),
    sampleCount: fc.integer({ min: 1, max: 40 }),
    // How much of the last sample's interval the video still covers: exercises the duration cap.
    lastSampleCoverage: fc.double({ min: 0.5, max: 1, noNaN: true }),
    labels: fc.uniqueArray(fc.constantFrom(...labelNames), { minLength: 0, maxLength: labelNames.length }),
  })
  .chain(({ sampleIntervalMs, sampleCount, lastSampleCoverage, labels }) => {
    const timestamps = Array.from({ length: sampleCount }, (_, i) => i * sampleIntervalMs);
    const durationMs = Math.ceil((sampleCount - 1 + lastSampleCoverage) * sampleIntervalMs);
    const timelineOf = (name: string): fc.Arbitrary<LabelTimeline> =>
      fc.record({
        label: fc.record({
          name: fc.constant(name),
          parents: fc.subarray(labelNames.filter((other) => other !== name)),
          aliases: fc.constant([]),
          categories: fc.subarray(categoryNames),
        }),
        occurrences: fc.subarray(timestamps, { minLength: 1 }).chain((seenAt) =>
          fc.tuple(
            ...seenAt.map((timestampMs) =>
              fc.record({
                timestampMs: fc.constant(timestampMs),
                confidence,
                instances: fc.array(
                  fc.record({
                    box: fc.constant({ left: 0.1, top: 0.1, width: 0.5, height: 0.5 }),
                    confidence,
                  }),
                  { maxLength: 3 },
                ),
              }),
            ),
          ),
        ),
      });
    return fc.tuple(...labels.map(timelineOf)).map(
      (timelines): VideoAnalysis => ({
        videoMetadata: { DurationMillis: durationMs, FrameRate: 30, FrameWidth: 640, FrameHeight: 360 },
        labelModelVersion: '3.0',
        sampleIntervalMs,
        analysedTimestampsMs: timestamps,
        labels: timelines.sort((a, b) => (a.label.name < b.label.name ? -1 : 1)),
      }),
    );
  });

const arbitraryFilters: fc.Arbitrary<GeneralLabelsSettings> = fc.record(
  {
    LabelInclusionFilters: fc.subarray(labelNames),
    LabelExclusionFilters: fc.subarray(labelNames),
    LabelCategoryInclusionFilters: fc.subarray(categoryNames),
    LabelCategoryExclusionFilters: fc.subarray(categoryNames),
  },
  { requiredKeys: [] },
);

const arbitraryCase = fc.record({
  analysis: arbitraryAnalysis,
  minConfidence: confidence,
  generalLabels: fc.option(arbitraryFilters, { nil: undefined }),
  SortBy: fc.constantFrom('TIMESTAMP' as const, 'NAME' as const),
  AggregateBy: fc.constantFrom('TIMESTAMPS' as const, 'SEGMENTS' as const),
  MaxResults: fc.integer({ min: 1, max: 25 }),
});
type Case = typeof arbitraryCase extends fc.Arbitrary<infer T> ? T : never;

const respond = (example: Case, request: GetLabelDetectionInput['request']) =>
  buildGetLabelDetectionResponse({
    job: {
      JobId: 'job-1',
      JobStatus: 'SUCCEEDED',
      minConfidence: example.minConfidence,
      generalLabels: example.generalLabels,
    },
    analysis: example.analysis,
    request: { SortBy: example.SortBy, AggregateBy: example.AggregateBy, ...request },
    tokenSecret: 'secret',
    now: 0,
  });

const allLabels = (example: Case): LabelDetection[] => respond(example, {}).Labels ?? [];

const pagedLabels = (example: Case): LabelDetection[] => {
  const labels: LabelDetection[] = [];
  let NextToken: string | undefined;
  do {
    const response = respond(example, { MaxResults: example.MaxResults, NextToken });
    labels.push(...(response.Labels ?? []));
    NextToken = response.NextToken;
  } while (NextToken);
  return labels;
};

const inOrder = (example: Case, a: LabelDetection, b: LabelDetection): boolean => {
  const [nameA, nameB] = [a.Label?.Name ?? '', b.Label?.Name ?? ''];
  const [timeA, timeB] = [a.Timestamp ?? 0, b.Timestamp ?? 0];
  const [confidenceA, confidenceB] = [a.Label?.Confidence ?? 0, b.Label?.Confidence ?? 0];
  if (example.SortBy === 'TIMESTAMP') return timeA < timeB || (timeA === timeB && nameA < nameB);
  if (nameA !== nameB) return nameA < nameB;
  return confidenceA > confidenceB || (confidenceA === confidenceB && timeA < timeB);
};

const property = (check: (example: Case) => void) => () => fc.assert(fc.property(arbitraryCase, check), { numRuns: 300 });

describe('GetLabelDetection responses over random analyses', () => {
  it(
    'pages concatenate to exactly the unpaginated list',
    property((example) => {
      expect(pagedLabels(example)).toEqual(allLabels(example));
    }),
  );

  it(
    'are strictly ordered by the requested sort',
    property((example) => {
      const labels = allLabels(example);
      labels.slice(1).forEach((next, i) => expect(inOrder(example, labels[i]!, next)).toBe(true));
    }),
  );

  it(
    'never return a label or an instance below MinConfidence',
    property((example) => {
      for (const detection of allLabels(example)) {
        expect(detection.Label?.Confidence).toBeGreaterThanOrEqual(example.minConfidence);
        for (const instance of detection.Label?.Instances ?? []) {
          expect(instance.Confidence).toBeGreaterThanOrEqual(example.minConfidence);
        }
      }
    }),
  );

  it(
    'never return an excluded label, nor one outside the inclusion filters when there are any',
    property((example) => {
      const filters = example.generalLabels ?? {};
      const inclusions = [...(filters.LabelInclusionFilters ?? []), ...(filters.LabelCategoryInclusionFilters ?? [])];
      for (const detection of allLabels(example)) {
        const name = detection.Label?.Name ?? '';
        const categories = (detection.Label?.Categories ?? []).map((category) => category.Name ?? '');
        expect(filters.LabelExclusionFilters ?? []).not.toContain(name);
        expect(categories.filter((category) => filters.LabelCategoryExclusionFilters?.includes(category))).toEqual([]);
        if (inclusions.length > 0) expect([name, ...categories].some((entry) => inclusions.includes(entry))).toBe(true);
      }
    }),
  );

  it(
    'give segments that lie within the video and never overlap for one label',
    property((example) => {
      if (example.AggregateBy !== 'SEGMENTS') return;
      const durationMs = example.analysis.videoMetadata.DurationMillis ?? 0;
      const byLabel = new Map<string, LabelDetection[]>();
      for (const detection of allLabels(example)) {
        const start = detection.StartTimestampMillis ?? -1;
        const end = detection.EndTimestampMillis ?? -1;
        expect(detection.Timestamp).toBe(start);
        expect(detection.DurationMillis).toBe(end - start);
        expect(detection.Label).not.toHaveProperty('Instances');
        expect(0 <= start && start < end && end <= durationMs).toBe(true);
        const name = detection.Label?.Name ?? '';
        byLabel.set(name, [...(byLabel.get(name) ?? []), detection]);
      }
      for (const segments of byLabel.values()) {
        const sorted = segments.sort((a, b) => (a.StartTimestampMillis ?? 0) - (b.StartTimestampMillis ?? 0));
        sorted.slice(1).forEach((next, i) => {
          expect(sorted[i]?.EndTimestampMillis ?? Infinity).toBeLessThanOrEqual(next.StartTimestampMillis ?? -Infinity);
        });
      }
    }),
  );
});
