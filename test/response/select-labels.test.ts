import { describe, expect, it } from 'vitest';
import { selectLabels } from '../../src/response/index.js';
import { analysisOf, label, names, seen, timeline } from './fixtures.js';

describe('selectLabels: MinConfidence', () => {
  const analysis = analysisOf([
    timeline(label('Dog'), [seen(0, 49.9, [80]), seen(1000, 50, [49.99, 50, 70]), seen(2000, 95, [30])]),
    timeline(label('Ghost'), [seen(0, 10), seen(1000, 49)]),
  ]);

  it('drops occurrences below MinConfidence and keeps those exactly at it', () => {
    const [dog] = selectLabels(analysis, { minConfidence: 50 });
    expect(dog?.occurrences.map((occurrence) => occurrence.timestampMs)).toEqual([1000, 2000]);
  });

  it('drops instances below MinConfidence from the occurrences it keeps', () => {
    const [dog] = selectLabels(analysis, { minConfidence: 50 });
    expect(dog?.occurrences.map((occurrence) => occurrence.instances.map((instance) => instance.confidence))).toEqual([
      [50, 70],
      [],
    ]);
  });

  it('drops a label none of whose occurrences reach MinConfidence', () => {
    expect(names(selectLabels(analysis, { minConfidence: 50 }))).toEqual(['Dog']);
    expect(names(selectLabels(analysis, { minConfidence: 0 }))).toEqual(['Dog', 'Ghost']);
  });

  it('leaves the analysis it reads untouched', () => {
    selectLabels(analysis, { minConfidence: 99 });
    expect(analysis.labels[0]?.occurrences[1]?.instances).toHaveLength(3);
  });
});

describe('selectLabels: GeneralLabels filters', () => {
  const pets = 'Animals and Pets';
  const analysis = analysisOf(
    [
      label('Animal', { categories: [pets] }),
      label('Car', { parents: ['Vehicle'], categories: ['Vehicles and Automotive'] }),
      label('Cat', { parents: ['Animal'], categories: [pets] }),
      label('Dog', { parents: ['Animal'], categories: [pets] }),
      label('Kangaroo', { parents: ['Animal'], categories: [pets] }),
      label('Statue of Liberty', { categories: ['Popular Landmark', 'Travel and Adventure'] }),
      label('Tiger', { parents: ['Animal'], categories: [pets] }),
      label('Vehicle', { categories: ['Vehicles and Automotive'] }),
    ].map((info) => timeline(info, [seen(0, 90)])),
  );
  const select = (generalLabels: object) => names(selectLabels(analysis, { minConfidence: 50, generalLabels }));

  it('returns every label when no filter is given', () => {
    expect(select({})).toHaveLength(8);
  });

  it('LabelInclusionFilters keep only the named labels, not their parents', () => {
    expect(select({ LabelInclusionFilters: ['Dog', 'Car'] })).toEqual(['Car', 'Dog']);
  });

  it('LabelExclusionFilters remove the named labels only', () => {
    expect(select({ LabelExclusionFilters: ['Animal', 'Tiger'] })).toEqual([
      'Car',
      'Cat',
      'Dog',
      'Kangaroo',
      'Statue of Liberty',
      'Vehicle',
    ]);
  });

  it('LabelCategoryInclusionFilters keep labels having any listed category', () => {
    expect(select({ LabelCategoryInclusionFilters: ['Vehicles and Automotive', 'Travel and Adventure'] })).toEqual([
      'Car',
      'Statue of Liberty',
      'Vehicle',
    ]);
  });

  it('LabelCategoryExclusionFilters remove labels having any listed category', () => {
    expect(select({ LabelCategoryExclusionFilters: [pets, 'Popular Landmark'] })).toEqual(['Car', 'Vehicle']);
  });

  it('a label matching either kind of inclusion filter is kept', () => {
    expect(select({ LabelInclusionFilters: ['Car'], LabelCategoryInclusionFilters: ['Popular Landmark'] })).toEqual([
      'Car',
      'Statue of Liberty',
    ]);
  });

  it('combines all four as the developer guide example does: exclusions win over inclusions', () => {
    expect(
      select({
        LabelInclusionFilters: ['Cat', 'Dog', 'Statue of Liberty'],
        LabelExclusionFilters: ['Tiger'],
        LabelCategoryInclusionFilters: [pets],
        LabelCategoryExclusionFilters: ['Popular Landmark'],
      }),
    ).toEqual(['Animal', 'Cat', 'Dog', 'Kangaroo']);
  });

  it('a label excluded by name is dropped even when its name is also included', () => {
    expect(select({ LabelInclusionFilters: ['Dog', 'Cat'], LabelExclusionFilters: ['Dog'] })).toEqual(['Cat']);
  });

  it('matches label and category names regardless of case', () => {
    expect(select({ LabelInclusionFilters: ['dog'], LabelCategoryInclusionFilters: ['POPULAR LANDMARK'] })).toEqual([
      'Dog',
      'Statue of Liberty',
    ]);
    expect(select({ LabelCategoryExclusionFilters: ['animals and pets'], LabelExclusionFilters: ['VEHICLE'] })).toEqual([
      'Car',
      'Statue of Liberty',
    ]);
  });

  it('applies filters and MinConfidence together', () => {
    const mixed = analysisOf([
      timeline(label('Cat', { categories: [pets] }), [seen(0, 40)]),
      timeline(label('Dog', { categories: [pets] }), [seen(0, 60)]),
      timeline(label('Car'), [seen(0, 99)]),
    ]);
    const selected = selectLabels(mixed, { minConfidence: 50, generalLabels: { LabelCategoryInclusionFilters: [pets] } });
    expect(names(selected)).toEqual(['Dog']);
  });
});
