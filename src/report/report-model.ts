/** What the report shows, decided from the result alone: timeline rows and which frames to picture. */
import type { Box } from '../types.js';
import type { LabelResult, ResultLabel } from './label-result.js';

export interface TimelineRow {
  label: ResultLabel;
  /** 0 for labels seen as objects, 1 for an ancestor shown under the first child that names it. */
  depth: 0 | 1;
  /** Set for ancestors: the child label they are listed under. */
  parentOf?: string;
}

export interface TimelineGroup {
  category: string;
  rows: TimelineRow[];
}

export interface FrameBox {
  label: string;
  confidence: number;
  box: Box;
}

const UNCATEGORISED = 'Other';

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const categoryOf = (label: ResultLabel): string => label.categories[0] ?? UNCATEGORISED;

/**
 * Rows grouped by category, each object label followed by its ancestors (Car, then Vehicle and
 * Transportation), so a parent's bars sit right under the child that produced them. An ancestor
 * shared by several children appears once, under the first; one whose children are all absent
 * (filtered out) keeps its own place in its own category.
 */
export function timelineGroups(labels: readonly ResultLabel[]): TimelineGroup[] {
  const labelsByName = new Map(labels.map((label) => [label.name, label]));
  const ancestorNames = new Set(labels.flatMap((label) => label.parents));
  const leaves = labels.filter((label) => !ancestorNames.has(label.name));
  const placed = new Set<string>();
  const groups = new Map<string, TimelineRow[]>();
  const addRow = (category: string, row: TimelineRow): void => {
    placed.add(row.label.name);
    groups.set(category, [...(groups.get(category) ?? []), row]);
  };
  for (const leaf of leaves) {
    const category = categoryOf(leaf);
    addRow(category, { label: leaf, depth: 0 });
    for (const parentName of leaf.parents) {
      const parent = labelsByName.get(parentName);
      if (parent && !placed.has(parentName)) addRow(category, { label: parent, depth: 1, parentOf: leaf.name });
    }
  }
  for (const orphan of labels.filter((label) => !placed.has(label.name))) addRow(categoryOf(orphan), { label: orphan, depth: 0 });
  return [...groups.entries()].sort(([a], [b]) => byName(a, b)).map(([category, rows]) => ({ category, rows }));
}

/** Every box drawn at one timestamp, across labels; parents carry no instances and add none. */
export function boxesAt(result: LabelResult, timestampMs: number): FrameBox[] {
  return result.labels.flatMap((label) =>
    label.occurrences
      .filter((occurrence) => occurrence.timestampMs === timestampMs)
      .flatMap((occurrence) => occurrence.instances.map((instance) => ({ label: label.name, confidence: instance.confidence, box: instance.box }))),
  );
}

const pickEvenly = <T>(values: readonly T[], count: number): T[] => {
  if (values.length <= count) return [...values];
  if (count === 1) return [values[Math.floor(values.length / 2)] as T];
  return Array.from({ length: count }, (_, i) => values[Math.round((i * (values.length - 1)) / (count - 1))] as T);
};

/**
 * Timestamps to show as thumbnails: spread evenly over the analysed timestamps that have boxes, so
 * every picture has something drawn on it. A SEGMENTS result has no boxes: then spread over the video.
 */
export function thumbnailTimestamps(result: LabelResult, count: number): number[] {
  const withBoxes = [
    ...new Set(result.labels.flatMap((label) => label.occurrences.filter((occurrence) => occurrence.instances.length > 0).map((occurrence) => occurrence.timestampMs))),
  ].sort((a, b) => a - b);
  if (withBoxes.length > 0) return pickEvenly(withBoxes, count);
  const durationMs = result.videoMetadata.DurationMillis ?? 0;
  if (durationMs <= 0) return [];
  return Array.from({ length: count }, (_, i) => Math.round(((i + 0.5) * durationMs) / count));
}
