import { describe, expect, it } from 'vitest';
import { BLAZEFACE_ANCHORS, decodeBlazeFace, faceInHeadRegion } from '../../src/people/blazeface.js';

/** Outputs with every anchor scoring nothing except `anchor`, whose box is given in input pixels. */
function outputsWith(anchor: number, logit: number, box: { dx: number; dy: number; w: number; h: number }) {
  const layers = [
    { logits: new Float32Array(512).fill(-10), regressions: new Float32Array(512 * 16) },
    { logits: new Float32Array(384).fill(-10), regressions: new Float32Array(384 * 16) },
  ];
  const layer = anchor < 512 ? layers[0]! : layers[1]!;
  const index = anchor < 512 ? anchor : anchor - 512;
  layer.logits[index] = logit;
  layer.regressions.set([box.dx, box.dy, box.w, box.h], index * 16);
  return layers;
}

describe('BlazeFace decoding', () => {
  it('has 896 anchors: 16x16x2 then 8x8x6, centred in their cells', () => {
    expect(BLAZEFACE_ANCHORS).toHaveLength(896);
    expect(BLAZEFACE_ANCHORS[0]).toEqual([0.5 / 16, 0.5 / 16]);
    expect(BLAZEFACE_ANCHORS[2]).toEqual([1.5 / 16, 0.5 / 16]);
    expect(BLAZEFACE_ANCHORS[512]).toEqual([0.5 / 8, 0.5 / 8]);
    expect(BLAZEFACE_ANCHORS[895]).toEqual([7.5 / 8, 7.5 / 8]);
  });

  it('places a candidate at its anchor plus the offset, sized in input pixels, scored by the sigmoid', () => {
    // Anchor 512 + 6 * 27 = the first anchor of cell (3, 3) of the 8x8 grid, centre (3.5/8, 3.5/8) = (112, 112) px.
    const [face] = decodeBlazeFace(outputsWith(512 + 6 * 27, 2, { dx: 16, dy: 16, w: 64, h: 64 }), 0.5);
    expect(face!.score).toBeCloseTo(1 / (1 + Math.exp(-2)), 6);
    expect(face!.box.left).toBeCloseTo((128 - 32) / 256, 6);
    expect(face!.box.top).toBeCloseTo((128 - 32) / 256, 6);
    expect(face!.box.width).toBeCloseTo(0.25, 6);
    expect(decodeBlazeFace(outputsWith(512 + 6 * 27, -2, { dx: 16, dy: 16, w: 64, h: 64 }), 0.5)).toEqual([]);
  });

  it('keeps a face centred in the head region, in frame coordinates, and nothing at its edge', () => {
    const crop = { left: 0.2, top: 0.1, width: 0.1, height: 0.2 };
    const centred = faceInHeadRegion([{ box: { left: 0.35, top: 0.35, width: 0.3, height: 0.3 }, score: 0.8 }], crop)!;
    expect(centred.box.left).toBeCloseTo(0.235, 6);
    expect(centred.box.height).toBeCloseTo(0.06, 6);
    expect(faceInHeadRegion([{ box: { left: 0.8, top: 0.8, width: 0.2, height: 0.2 }, score: 0.9 }], crop)).toBeUndefined();
  });
});
