import { describe, expect, it } from 'vitest';
import { fitCalibration, labelDetections, objectPrecisionRecall } from '../../bench/quality/calibration.js';
import type { LabelView } from '../../bench/quality/metrics.js';
import type { FrameDetections } from '../../src/types.js';

const box = { left: 0, top: 0, width: 0.1, height: 0.1 };
const detection = (className: string, score: number) => ({ box, className, score, confidence: score * 100 });
const view = (counts: number[]): LabelView => ({ present: counts.map((c) => c > 0), counts, segments: [] });
const labelOf = (className: string) => className[0]!.toUpperCase() + className.slice(1);

describe('labelDetections', () => {
  it('marks the n best-scored detections of a label right, n being the true count, and everything else wrong', () => {
    const frames: FrameDetections[] = [
      { timestampMs: 0, detections: [detection('bottle', 0.3), detection('bottle', 0.5), detection('bottle', 0.2), detection('sink', 0.4)] },
      { timestampMs: 500, detections: [detection('bottle', 0.6)] },
    ];
    const labelled = labelDetections(frames, new Map([['Bottle', view([2, 0])]]), labelOf);
    expect(labelled).toEqual([
      { label: 'Bottle', score: 0.5, right: true },
      { label: 'Bottle', score: 0.3, right: true },
      { label: 'Bottle', score: 0.2, right: false },
      { label: 'Sink', score: 0.4, right: false },
      { label: 'Bottle', score: 0.6, right: false },
    ]);
  });

  it('where a label is present but uncounted, takes its best detection as right and leaves out the rest', () => {
    const frames: FrameDetections[] = [{ timestampMs: 0, detections: [detection('bowl', 0.3), detection('bowl', 0.4)] }, { timestampMs: 500, detections: [detection('bowl', 0.2)] }];
    const bowls: LabelView = { present: [true, false], segments: [] };
    expect(labelDetections(frames, new Map([['Bowl', bowls]]), labelOf)).toEqual([
      { label: 'Bowl', score: 0.4, right: true },
      { label: 'Bowl', score: 0.2, right: false },
    ]);
  });

  it('leaves out labels the ground truth does not count', () => {
    const frames: FrameDetections[] = [{ timestampMs: 0, detections: [detection('table', 0.3)] }];
    expect(labelDetections(frames, new Map(), labelOf, new Set(['Table']))).toEqual([]);
  });
});

describe('fitCalibration', () => {
  it('is monotonic even when the data are not, and ends at score 1', () => {
    const data = [
      ...Array.from({ length: 20 }, () => ({ score: 0.22, right: false })),
      ...Array.from({ length: 10 }, (_, i) => ({ score: 0.32, right: i < 8 })),
      ...Array.from({ length: 10 }, (_, i) => ({ score: 0.37, right: i < 6 })), // a dip: pooled with the bin before
      ...Array.from({ length: 10 }, () => ({ score: 0.52, right: true })),
    ];
    const { points } = fitCalibration(data);
    for (let i = 1; i < points.length; i += 1) {
      expect(points[i]![0]).toBeGreaterThan(points[i - 1]![0]);
      expect(points[i]![1]).toBeGreaterThanOrEqual(points[i - 1]![1]);
    }
    expect(points.at(-1)![0]).toBe(1);
    // The 0.22 bin: 0 right of 20, pulled towards the overall rate (24/50) by 2 pseudo-detections.
    expect(points[0]![1]).toBeCloseTo((100 * (2 * 24) / 50) / 22, 1);
    // 0.32 and 0.37 pooled: (8 + 6 + prior) over 20 detections.
    expect(points[1]![0]).toBeCloseTo(0.345, 3);
  });
});

describe('objectPrecisionRecall', () => {
  it('counts min(predicted, true) objects as right, per label and timestamp', () => {
    const truth = new Map([['Bottle', view([3, 1])]]);
    const predicted = [new Map([['Bottle', 2], ['Sink', 1]]), new Map([['Bottle', 2]])];
    const { precision, recall } = objectPrecisionRecall(predicted, truth);
    expect(precision).toBeCloseTo(3 / 5);
    expect(recall).toBeCloseTo(3 / 4);
  });

  it('scores a present but uncounted label as one object, however many are predicted', () => {
    const truth = new Map([['Bowl', { present: [true, false], segments: [] }]]);
    const { precision, recall } = objectPrecisionRecall([new Map([['Bowl', 5]]), new Map([['Bowl', 2]])], truth);
    expect(precision).toBeCloseTo(1 / 3);
    expect(recall).toBeCloseTo(1);
  });
});
