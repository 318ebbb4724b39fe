import { describe, expect, it } from 'vitest';
import { discountHeldObjects, loadTaxonomy } from '../../src/taxonomy/index.js';
import type { TrackedFrame, TrackedObject } from '../../src/types.js';

const object = (trackId: number, className: string, confidence: number): TrackedObject => ({ trackId, className, confidence, box: { left: 0.1 * trackId, top: 0.2, width: 0.1, height: 0.2 } });

describe('discountHeldObjects', () => {
  const taxonomy = loadTaxonomy();

  it('takes away a held object nobody is there to hold: a phone over an empty parking lot', () => {
    const [frame] = discountHeldObjects([{ timestampMs: 0, objects: [object(1, 'cell phone', 95), object(2, 'car', 40)] }], taxonomy);
    expect(frame?.objects.map((tracked) => [tracked.className, tracked.confidence])).toEqual([
      ['cell phone', 0],
      ['car', 40],
    ]);
  });

  it('keeps a held object as sure as both it and the surest person at that timestamp', () => {
    const frames: TrackedFrame[] = [
      { timestampMs: 0, objects: [object(1, 'person', 90), object(2, 'person', 60), object(3, 'cell phone', 80)] },
      { timestampMs: 500, objects: [object(3, 'cell phone', 80)] },
    ];
    const [withPerson, alone] = discountHeldObjects(frames, taxonomy);
    expect(withPerson?.objects.find((tracked) => tracked.trackId === 3)?.confidence).toBeCloseTo(72, 9);
    expect(withPerson?.objects.filter((tracked) => tracked.className === 'person').map((tracked) => tracked.confidence)).toEqual([90, 60]);
    expect(alone?.objects[0]?.confidence).toBe(0);
  });

  it('leaves every other object alone, with or without people: a bottle on a table', () => {
    const frames: TrackedFrame[] = [{ timestampMs: 0, objects: [object(1, 'bottle', 88), object(2, 'dining table', 55)] }];
    expect(discountHeldObjects(frames, taxonomy)).toEqual(frames);
  });

  it('lists held objects by detector class names the taxonomy maps', () => {
    for (const className of ['cell phone', 'tie', 'skis', 'toothbrush']) expect(taxonomy.heldByPeople.has(className)).toBe(true);
    for (const className of ['person', 'bottle', 'car', 'cat']) expect(taxonomy.heldByPeople.has(className)).toBe(false);
  });
});
