import { describe, expect, it } from 'vitest';
import type { ResultLabel } from '../../src/report/label-result.js';
import { readLabelResult } from '../../src/report/label-result.js';
import { boxesAt, thumbnailTimestamps, timelineGroups } from '../../src/report/report-model.js';
import { carResponse } from './fixtures.js';

const label = (name: string, parents: string[], categories: string[]): ResultLabel => ({ name, parents, categories, occurrences: [], segments: [] });

describe('timelineGroups', () => {
  it('puts each ancestor right under the first child naming it, once, in the child category', () => {
    const labels = [
      label('Car', ['Vehicle', 'Transportation'], ['Vehicles and Automotive']),
      label('Person', [], ['Person Description']),
      label('Transportation', [], ['Travel']),
      label('Truck', ['Vehicle', 'Transportation'], ['Vehicles and Automotive']),
      label('Vehicle', ['Transportation'], ['Vehicles and Automotive']),
    ];
    const groups = timelineGroups(labels).map((group) => ({
      category: group.category,
      rows: group.rows.map((row) => `${'  '.repeat(row.depth)}${row.label.name}`),
    }));
    expect(groups).toEqual([
      { category: 'Person Description', rows: ['Person'] },
      { category: 'Vehicles and Automotive', rows: ['Car', '  Vehicle', '  Transportation', 'Truck'] },
    ]);
  });

  it('keeps an ancestor whose children were filtered out, in its own category', () => {
    const groups = timelineGroups([label('Vehicle', ['Transportation'], ['Vehicles and Automotive']), label('Transportation', [], [])]);
    expect(groups.map((group) => [group.category, group.rows.map((row) => [row.label.name, row.depth])])).toEqual([
      ['Vehicles and Automotive', [['Vehicle', 0], ['Transportation', 1]]],
    ]);
  });
});

describe('boxesAt and thumbnailTimestamps', () => {
  const result = readLabelResult(carResponse());

  it('lists every instance at a timestamp; parents add no boxes', () => {
    expect(boxesAt(result, 1500).map((found) => [found.label, found.box.left])).toEqual([
      ['Car', 0.1],
      ['Car', 0.5],
    ]);
    expect(boxesAt(result, 500)).toEqual([]);
  });

  it('spreads thumbnails over the timestamps that have boxes, first and last included', () => {
    expect(thumbnailTimestamps(result, 2)).toEqual([1000, 6000]);
    // Four candidates, three picks: indices 0, 1.5 (rounds up to 2) and 3.
    expect(thumbnailTimestamps(result, 3)).toEqual([1000, 2000, 6000]);
    expect(thumbnailTimestamps(result, 10)).toEqual([1000, 1500, 2000, 6000]);
  });

  it('spreads thumbnails over the whole video when the result has no boxes (SEGMENTS)', () => {
    const segmentsOnly = { ...result, labels: result.labels.map((entry) => ({ ...entry, occurrences: [] })) };
    expect(thumbnailTimestamps(segmentsOnly, 4)).toEqual([1250, 3750, 6250, 8750]);
  });
});
