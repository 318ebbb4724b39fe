/**
 * Hands anywhere in the frame (worker side): the HandTrack detector (an SSD trained on hands, from
 * victordibia/handtracking, converted to TF.js and shipped in @vladmandic/human, MIT) looks at the
 * whole frame once. Poses find the hands of people the object detector saw; this finds hands whose
 * person it did not: an arm reaching in from the frame's edge (bottle-detection.mp4), fingertips.
 * Raw scores come back; what they are worth is decided in the pure people stage (people/parts.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { boxFromCorners } from '../geometry.js';
import { HAND_SCORE_FLOOR } from '../people/confidence.js';
import { oneBoxPerHand } from '../people/parts.js';
import type { SeenHand } from '../types.js';

/** The detector's classes, in its output order: hand poses, and a face class that is not a hand. */
const HAND_CLASSES = ['hand', 'fist', 'pinch', 'point', 'face', 'tip', 'pinchtip'] as const;
const FACE_CLASS = HAND_CLASSES.indexOf('face');

/** The graph's outputs: per candidate box the class scores (1 x N x 7), and the boxes (1 x N x 1 x 4, y1 x1 y2 x2 normalised). */
const OUTPUT_NODES = ['StatefulPartitionedCall/Postprocessor/Slice', 'StatefulPartitionedCall/Postprocessor/ExpandDims_1'];

/** At most this many hands a frame. */
const HANDS_PER_FRAME = 10;

/**
 * The hands in a frame (1 x height x width x 3, int32 grey levels), best first, one box per hand
 * (its best class score), boxes normalised to the frame. The graph resizes internally, so frames
 * go in as decoded.
 */
export async function findHands(model: tf.GraphModel, image: tf.Tensor4D): Promise<SeenHand[]> {
  const outputs = (await model.executeAsync(image, OUTPUT_NODES)) as tf.Tensor[];
  try {
    const [scores, boxes] = await Promise.all(outputs.map((tensor) => tensor.data()));
    if (!scores || !boxes) throw new Error(`handtrack: unexpected outputs ${outputs.map((tensor) => tensor.shape.join('x')).join(', ')}`);
    const candidates: SeenHand[] = [];
    for (let index = 0; index < boxes.length / 4; index += 1) {
      let score = 0;
      for (let klass = 0; klass < HAND_CLASSES.length; klass += 1) if (klass !== FACE_CLASS) score = Math.max(score, scores[index * HAND_CLASSES.length + klass] as number);
      if (score < HAND_SCORE_FLOOR) continue;
      const [top, left, bottom, right] = boxes.subarray(index * 4, index * 4 + 4) as unknown as [number, number, number, number];
      const box = boxFromCorners(left, top, right, bottom);
      if (box.width > 0 && box.height > 0) candidates.push({ box, score });
    }
    return oneBoxPerHand(candidates).slice(0, HANDS_PER_FRAME);
  } finally {
    tf.dispose(outputs);
  }
}
