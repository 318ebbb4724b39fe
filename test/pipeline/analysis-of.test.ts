import { describe, expect, it } from 'vitest';
import { analysisOf, type DetectedVideo } from '../../src/pipeline.js';

const twoPeople = [0.1, 0.6].map((left) => ({ box: { left, top: 0.2, width: 0.1, height: 0.5 }, className: 'person', score: 0.9, confidence: 90 }));

const detected: DetectedVideo = {
  metadata: { Codec: 'h264', DurationMillis: 2500, Format: 'QuickTime / MOV', FrameRate: 25, FrameHeight: 720, FrameWidth: 1280 },
  labelModelVersion: 'test-model-1.0',
  sampleIntervalMs: 500,
  frames: Array.from({ length: 5 }, (_, index) => ({ timestampMs: index * 500, detections: twoPeople })),
};

describe('analysisOf (what the CLI builds once the detector pool is let go)', () => {
  it('keeps the video metadata, model version, sample interval and every analysed timestamp', () => {
    const analysis = analysisOf(detected);
    expect(analysis.videoMetadata).toEqual(detected.metadata);
    expect(analysis.labelModelVersion).toBe('test-model-1.0');
    expect(analysis.sampleIntervalMs).toBe(500);
    expect(analysis.analysedTimestampsMs).toEqual([0, 500, 1000, 1500, 2000]);
  });

  it('turns two people held still through five frames into Person and People at every frame', () => {
    const labels = analysisOf(detected).labels;
    const person = labels.find((timeline) => timeline.label.name === 'Person');
    const people = labels.find((timeline) => timeline.label.name === 'People');
    expect(person?.occurrences.map((occurrence) => occurrence.timestampMs)).toEqual([0, 500, 1000, 1500, 2000]);
    expect(person?.occurrences.every((occurrence) => occurrence.instances.length === 2)).toBe(true);
    expect(people?.occurrences).toHaveLength(5);
    expect(labels.some((timeline) => timeline.label.name === 'Walking')).toBe(false);
  });
});
