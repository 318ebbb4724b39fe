import type { Box, LabelInfo, LabelOccurrence, LabelTimeline, VideoAnalysis } from '../../src/types.js';

export const box = (left = 0.1, top = 0.2, width = 0.3, height = 0.4): Box => ({ left, top, width, height });

export const label = (
  name: string,
  { parents = [], aliases = [], categories = [] }: Partial<Omit<LabelInfo, 'name'>> = {},
): LabelInfo => ({ name, parents, aliases, categories });

/** An occurrence whose instances have the given confidences (all with the default box). */
export const seen = (timestampMs: number, confidence: number, instanceConfidences: number[] = []): LabelOccurrence => ({
  timestampMs,
  confidence,
  instances: instanceConfidences.map((instanceConfidence) => ({ box: box(), confidence: instanceConfidence })),
});

export const timeline = (info: LabelInfo, occurrences: LabelOccurrence[]): LabelTimeline => ({
  label: info,
  occurrences,
});

export const analysisOf = (
  labels: LabelTimeline[],
  { durationMs = 10_000, sampleIntervalMs = 1000 }: { durationMs?: number; sampleIntervalMs?: number } = {},
): VideoAnalysis => ({
  videoMetadata: {
    Codec: 'h264',
    Format: 'QuickTime / MOV',
    DurationMillis: durationMs,
    FrameRate: 30,
    FrameWidth: 1280,
    FrameHeight: 720,
  },
  labelModelVersion: '3.0',
  sampleIntervalMs,
  analysedTimestampsMs: Array.from({ length: Math.ceil(durationMs / sampleIntervalMs) }, (_, i) => i * sampleIntervalMs),
  labels,
});

export const names = (timelines: LabelTimeline[]): string[] => timelines.map((entry) => entry.label.name);
