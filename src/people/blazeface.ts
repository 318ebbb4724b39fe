/**
 * Decoding BlazeFace (pure): the "back camera" model of @vladmandic/human (256 x 256 input) predicts,
 * for each of 896 fixed anchors, a score logit and a box offset. Anchors: a 16 x 16 grid with 2
 * anchors per cell (stride 16), then an 8 x 8 grid with 6 per cell (stride 32), centred in their
 * cells, in the order the model's outputs list them (Bazarevsky et al., "BlazeFace: Sub-millisecond
 * Neural Face Detection on Mobile GPUs", 2019; MediaPipe's SSD anchor options for the back model).
 * Offsets and sizes are in input pixels.
 */
import type { Box } from '../types.js';

export const BLAZEFACE_INPUT = 256;

const ANCHOR_LAYERS = [
  { grid: 16, perCell: 2 },
  { grid: 8, perCell: 6 },
] as const;

/** Anchor centres (x, y), normalised to the input, in output order: 512 of stride 16, then 384 of stride 32. */
export const BLAZEFACE_ANCHORS: ReadonlyArray<readonly [number, number]> = ANCHOR_LAYERS.flatMap(({ grid, perCell }) =>
  Array.from({ length: grid * grid * perCell }, (_, index): readonly [number, number] => {
    const cell = Math.floor(index / perCell);
    return [((cell % grid) + 0.5) / grid, (Math.floor(cell / grid) + 0.5) / grid];
  }),
);

/** Values per anchor in the regression outputs: box (dx, dy, w, h) then 6 face keypoints (x, y). */
const REGRESSION_WIDTH = 16;

export interface FaceCandidate {
  /** Normalised to the model's input (the crop it was run on). */
  box: Box;
  /** 0..1, the sigmoid of the model's logit. */
  score: number;
}

const sigmoid = (value: number): number => 1 / (1 + Math.exp(-value));

/**
 * Face candidates scoring at least `minScore`, best first, from the model's outputs: per layer the
 * score logits (anchors x 1) and regressions (anchors x 16), stride 16 first.
 */
export function decodeBlazeFace(layers: ReadonlyArray<{ logits: ArrayLike<number>; regressions: ArrayLike<number> }>, minScore: number): FaceCandidate[] {
  const candidates: FaceCandidate[] = [];
  let anchorIndex = 0;
  for (const { logits, regressions } of layers) {
    for (let index = 0; index < logits.length; index += 1, anchorIndex += 1) {
      const score = sigmoid(logits[index] as number);
      const anchor = BLAZEFACE_ANCHORS[anchorIndex];
      if (score < minScore || anchor === undefined) continue;
      const offset = index * REGRESSION_WIDTH;
      const centreX = anchor[0] + (regressions[offset] as number) / BLAZEFACE_INPUT;
      const centreY = anchor[1] + (regressions[offset + 1] as number) / BLAZEFACE_INPUT;
      const width = (regressions[offset + 2] as number) / BLAZEFACE_INPUT;
      const height = (regressions[offset + 3] as number) / BLAZEFACE_INPUT;
      candidates.push({ box: { left: centreX - width / 2, top: centreY - height / 2, width, height }, score });
    }
  }
  return candidates.sort((a, b) => b.score - a.score);
}

/**
 * The face of a head region, from candidates found on a crop of it (normalised to the crop): the
 * best-scored one centred in the crop's middle half and between 12 % and 80 % of its width (a head
 * region is about twice the head, so a face fills 25-50 % of it), moved to frame coordinates.
 * Anything else is another face at the crop's edge, or the body below it.
 */
export function faceInHeadRegion(candidates: readonly FaceCandidate[], crop: Box): FaceCandidate | undefined {
  const face = candidates.find(({ box }) => {
    const centreX = box.left + box.width / 2;
    const centreY = box.top + box.height / 2;
    return Math.abs(centreX - 0.5) < 0.25 && Math.abs(centreY - 0.5) < 0.25 && box.width > 0.12 && box.width < 0.8;
  });
  if (!face) return undefined;
  return {
    score: face.score,
    box: {
      left: crop.left + face.box.left * crop.width,
      top: crop.top + face.box.top * crop.height,
      width: face.box.width * crop.width,
      height: face.box.height * crop.height,
    },
  };
}
