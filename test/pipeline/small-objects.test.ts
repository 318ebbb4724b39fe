/**
 * Tiled inference on person-bicycle-car-detection.gif (480x270, overhead parking lot, 7 sampled
 * frames): a car and a cyclist are in view the whole time, a pedestrian at the top edge early on
 * (see ../shared/media/README.md and bench/quality/ground-truth). The squeezed whole frame alone
 * reports none of them at MinConfidence 50 (bench/quality, tiling off).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeVideo } from '../../src/pipeline.js';
import { labelInfo, loadTaxonomy } from '../../src/taxonomy/index.js';
import type { VideoAnalysis } from '../../src/types.js';
import { media } from '../media.js';

const reportedAt = (analysis: VideoAnalysis, name: string): number[] =>
  (analysis.labels.find((label) => label.label.name === name)?.occurrences ?? []).filter((o) => o.confidence >= 50).map((o) => o.timestampMs);

describe('small objects seen from above, tiled (person-bicycle-car-detection.gif)', () => {
  let analysis: VideoAnalysis;
  beforeAll(async () => {
    analysis = await analyzeVideo(media.personBicycleCar, { workers: 2, tiling: 'tiles' });
  });

  it('reports the car at (nearly) every sampled timestamp: it is in view throughout', () => {
    expect(analysis.analysedTimestampsMs).toHaveLength(7);
    // One frame of tolerance: the car turns and is partly out of frame near the end.
    expect(reportedAt(analysis, 'Car').length).toBeGreaterThanOrEqual(6);
  });

  it('reports a person for most of the clip: the cyclist is in view throughout', () => {
    expect(reportedAt(analysis, 'Person').length).toBeGreaterThanOrEqual(4);
  });

  it('reports nothing but what is there: the car, people, the bicycle and their parent labels', () => {
    const taxonomy = loadTaxonomy();
    const visible = ['Car', 'Person', 'Bicycle'];
    const allowed = new Set(visible.flatMap((name) => [name, ...labelInfo(taxonomy, name).parents]));
    const reported = analysis.labels.filter((label) => reportedAt(analysis, label.label.name).length > 0).map((label) => label.label.name);
    expect(reported.filter((name) => !allowed.has(name))).toEqual([]);
  });
});
