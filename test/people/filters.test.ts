/** A job whose Settings filters let none of the labels that need them through runs no pose or face model. */
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import type { GeneralLabelsSettings } from '@aws-sdk/client-rekognition';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LabelDetectionClient, type LabelDetectionClientOptions } from '../../src/client.js';
import type { AnalyzeVideo } from '../../src/jobs/video-analyzer.js';
import { bottleAnalysis, makeBucket } from '../jobs/fixtures.js';

describe('filters decide whether people are looked at', () => {
  let root: string;
  let bucketDir: string;
  const clients: LabelDetectionClient[] = [];
  beforeEach(async () => {
    ({ root, bucketDir } = await makeBucket());
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.destroy()));
    await rm(root, { recursive: true, force: true });
  });

  /** What the analysis was asked, for a job started with these filters. */
  async function lookAtPeopleFor(generalLabels: GeneralLabelsSettings | undefined, options: Partial<LabelDetectionClientOptions> = {}): Promise<boolean | undefined> {
    const analyzeVideo = vi.fn<AnalyzeVideo>(async () => bottleAnalysis);
    const client = new LabelDetectionClient({ buckets: { media: bucketDir }, analyzeVideo, ...options });
    clients.push(client);
    const ended = once(client, 'jobEnded');
    await client.startLabelDetection({ Video: { S3Object: { Bucket: 'media', Name: 'a.mp4' } }, ...(generalLabels ? { Settings: { GeneralLabels: generalLabels } } : {}) });
    await ended;
    return analyzeVideo.mock.calls[0]?.[1].lookAtPeople;
  }

  it('looks at people when nothing is filtered, or a filter lets a people label through', async () => {
    expect(await lookAtPeopleFor(undefined)).toBe(true);
    expect(await lookAtPeopleFor({ LabelInclusionFilters: ['Face'] })).toBe(true);
    expect(await lookAtPeopleFor({ LabelCategoryInclusionFilters: ['Person Description'] })).toBe(true);
    expect(await lookAtPeopleFor({ LabelExclusionFilters: ['Face'] })).toBe(true);
  });

  it('does not when the filters let none of Face, Head, Hand, Body Part, Sitting, Standing through', async () => {
    expect(await lookAtPeopleFor({ LabelInclusionFilters: ['Car', 'Bottle'] })).toBe(false);
    expect(await lookAtPeopleFor({ LabelInclusionFilters: ['Person', 'Walking'] })).toBe(false);
    expect(await lookAtPeopleFor({ LabelCategoryExclusionFilters: ['Person Description'] })).toBe(false);
    expect(await lookAtPeopleFor({ LabelExclusionFilters: ['Face', 'Head', 'Hand', 'Body Part', 'Sitting', 'Standing'] })).toBe(false);
  });

  it('does not when the client was set up for objects only, whatever the filters', async () => {
    expect(await lookAtPeopleFor({ LabelInclusionFilters: ['Face'] }, { analyze: { lookAtPeople: false } })).toBe(false);
  });
});
