import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadTaxonomy } from '../../src/taxonomy/index.js';
import { media } from '../media.js';
import { alignSamples, loadAllGroundTruth, parseGroundTruth, truthOnTimeline } from '../../bench/quality/ground-truth.js';

const file = (labels: Record<string, unknown>) =>
  JSON.stringify({ video: 'clip.mp4', durationMs: 2000, sampleIntervalMs: 500, sampledTimestampsMs: [0, 500, 1000, 1500], labels });

describe('parseGroundTruth', () => {
  it('reads intervals as half-open spans and keeps the counts', () => {
    const truth = parseGroundTruth(file({ Car: { rule: 'half visible', intervalsMs: [[500, 1500]], countsPerSample: [0, 2, 1, 0] } }), 'clip.json');
    expect(truth.labels.Car).toEqual({ rule: 'half visible', intervals: [{ startMs: 500, endMs: 1500 }], countsPerSample: [0, 2, 1, 0] });
  });

  it('refuses counts that disagree with the intervals, naming file, label and time', () => {
    // The interval ends at 1000, so the sample at 1000 is outside it, yet counted.
    const text = file({ Car: { rule: 'r', intervalsMs: [[500, 1000]], countsPerSample: [0, 1, 1, 0] } });
    expect(() => parseGroundTruth(text, 'clip.json')).toThrow('clip.json: label Car: at 1000 ms the count (1) disagrees with the intervals');
  });

  it('refuses overlapping, reversed or out-of-video intervals and a wrong number of counts', () => {
    const parse = (label: unknown) => () => parseGroundTruth(file({ Car: label }), 'clip.json');
    expect(parse({ rule: 'r', intervalsMs: [[0, 1000], [900, 1500]] })).toThrow(/interval 1 overlaps/);
    expect(parse({ rule: 'r', intervalsMs: [[1000, 500]] })).toThrow(/interval 0 is empty or reversed/);
    expect(parse({ rule: 'r', intervalsMs: [[0, 2500]] })).toThrow(/outside 0..2000 ms/);
    expect(parse({ rule: 'r', intervalsMs: [[0, 500]], countsPerSample: [1] })).toThrow(/1 counts for 4 sampled timestamps/);
  });
});

describe('alignSamples', () => {
  it('maps each analysed timestamp to the nearest hand-labelled sample', () => {
    expect(alignSamples([0, 503, 1006], [0, 500, 1010], 250)).toEqual([0, 1, 2]);
  });

  it('refuses an analysed timestamp far from every sample', () => {
    expect(() => alignSamples([0, 500], [0, 900], 250)).toThrow('analysed timestamp 900 ms has no hand-labelled sample within 250 ms');
  });
});

describe('truthOnTimeline', () => {
  it('projects intervals and counts onto the analysed timestamps', () => {
    const truth = parseGroundTruth(file({ Car: { rule: 'r', intervalsMs: [[500, 1500]], countsPerSample: [0, 2, 1, 0] } }), 'clip.json');
    // Slightly different analysed times, as a decoder may report them; the last sample not analysed.
    expect(truthOnTimeline(truth, 'Car', [0, 520, 1020])).toEqual({
      present: [false, true, true],
      counts: [0, 2, 1],
      segments: [{ startMs: 500, endMs: 1500 }],
    });
  });
});

describe('the stored ground truth', () => {
  it('is internally consistent and covers every sampled timestamp', () => {
    const all = loadAllGroundTruth();
    expect(all.map((truth) => truth.video)).toEqual(readdirSync(media.directory).filter((name) => /\.(mp4|gif)$/.test(name)).sort());
    const taxonomy = loadTaxonomy();
    for (const truth of all) {
      const expectedSamples = Math.ceil(truth.durationMs / truth.sampleIntervalMs);
      expect(truth.sampledTimestampsMs).toHaveLength(expectedSamples);
      for (const name of [...Object.keys(truth.labels), ...Object.keys(truth.acceptedLabels)]) expect(taxonomy.labels.has(name), `${truth.video}: ${name}`).toBe(true);
    }
  });
});
