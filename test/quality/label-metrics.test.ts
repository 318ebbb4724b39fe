import { describe, expect, it } from 'vitest';
import { acceptedLabelNames, pooledLabelScores, scoreLabelSet } from '../../bench/quality/label-metrics.js';
import { loadTaxonomy } from '../../src/taxonomy/index.js';

describe('label-level metrics', () => {
  const taxonomy = loadTaxonomy();

  it('accepts the required and accepted labels with all their ancestors, and nothing else', () => {
    const accepted = acceptedLabelNames({ labels: { Car: { rule: '', intervals: [] } }, acceptedLabels: { 'Dining Table': 'the table' } }, taxonomy);
    expect([...accepted].sort()).toEqual(['Car', 'Dining Table', 'Furniture', 'Table', 'Transportation', 'Vehicle']);
  });

  it('accepts the people labels of the truth with their ancestors (a Face is a Head, a Hand a Body Part)', () => {
    const truth = { labels: {}, acceptedLabels: {}, peopleLabels: { Face: { rule: '', intervals: [] }, Hand: { rule: '', intervals: [] } } };
    expect([...acceptedLabelNames(truth, taxonomy)].sort()).toEqual(['Body Part', 'Face', 'Hand', 'Head', 'Person']);
  });

  it('counts reported names a person would not accept as false, and required labels not reported as missed', () => {
    const scores = scoreLabelSet(['Car', 'Vehicle', 'Mobile Phone', 'Phone'], ['Car', 'Bicycle'], new Set(['Car', 'Vehicle', 'Bicycle']));
    expect(scores.falseLabels).toEqual(['Mobile Phone', 'Phone']);
    expect(scores.missedLabels).toEqual(['Bicycle']);
    expect(scores.precision).toBeCloseTo(2 / 4);
    expect(scores.recall).toBeCloseTo(1 / 2);
    expect(Number.isNaN(scoreLabelSet([], [], new Set()).precision)).toBe(true);
  });

  it("pools clips by counting each clip's names: a name true in one clip and false in another counts once each", () => {
    const first = scoreLabelSet(['Person'], ['Person'], new Set(['Person']));
    const second = scoreLabelSet(['Person', 'Cat'], ['Apple'], new Set(['Apple']));
    const pooled = pooledLabelScores([first, second]);
    expect(pooled.precision).toBeCloseTo(1 / 3);
    expect(pooled.recall).toBeCloseTo(1 / 2);
  });
});
