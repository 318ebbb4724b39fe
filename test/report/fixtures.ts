/** Small GetLabelDetection responses written by hand, so every expected value can be reasoned out. */
import type { GetLabelDetectionResponse, LabelDetection } from '@aws-sdk/client-rekognition';

export const box = (left: number, top: number, width: number, height: number) => ({ Left: left, Top: top, Width: width, Height: height });

export const carAt = (timestampMs: number, confidence: number, boxes: ReturnType<typeof box>[]): LabelDetection => ({
  Timestamp: timestampMs,
  Label: {
    Name: 'Car',
    Confidence: confidence,
    Instances: boxes.map((BoundingBox) => ({ BoundingBox, Confidence: confidence })),
    Parents: [{ Name: 'Vehicle' }, { Name: 'Transportation' }],
    Aliases: [{ Name: 'Automobile' }],
    Categories: [{ Name: 'Vehicles and Automotive' }],
  },
});

export const parentAt = (name: string, timestampMs: number, confidence: number, parents: string[] = []): LabelDetection => ({
  Timestamp: timestampMs,
  Label: { Name: name, Confidence: confidence, Instances: [], Parents: parents.map((Name) => ({ Name })), Aliases: [], Categories: [{ Name: 'Vehicles and Automotive' }] },
});

/**
 * A 10 s, 1000x500 video sampled every 500 ms: a car at 1.0, 1.5 and 2.0 s (one box, then two),
 * and again at 6.0 s, after a 3.5 s absence that must split its segments.
 */
export const carResponse = (): GetLabelDetectionResponse => ({
  JobStatus: 'SUCCEEDED',
  VideoMetadata: { Codec: 'h264', DurationMillis: 10_000, Format: 'MP4', FrameRate: 25, FrameWidth: 1000, FrameHeight: 500, ColorRange: 'LIMITED' },
  LabelModelVersion: 'test-model-1',
  Labels: [1000, 1500, 2000, 6000].flatMap((t) => [
    carAt(t, t === 2000 ? 90 : 80, t === 1500 ? [box(0.1, 0.2, 0.3, 0.4), box(0.5, 0.5, 0.2, 0.2)] : [box(0.1, 0.2, 0.3, 0.4)]),
    parentAt('Transportation', t, 80),
    parentAt('Vehicle', t, 80, ['Transportation']),
  ]),
});
