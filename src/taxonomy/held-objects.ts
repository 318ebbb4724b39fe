import type { TrackedFrame } from '../types.js';
import type { Taxonomy } from './parse-taxonomy.js';

/**
 * Scene context: an object that people hold, wear, carry or ride on (a phone, a tie, skis) is no
 * surer than that someone is there. Each such object's confidence at a timestamp is multiplied by
 * that of the surest person tracked at the same timestamp (0 when nobody is): the probability that
 * both are there, taking them as independent. Everything else passes unchanged. Pure.
 *
 * Why: a detector that misreads a shape (an overhead car as a phone, measured on
 * car-detection.mp4 up to raw score 0.71, surer than the real cars) has no way to know that phones
 * do not drive across empty parking lots; the video does.
 */
export const discountHeldObjects = (frames: readonly TrackedFrame[], taxonomy: Pick<Taxonomy, 'heldByPeople'>): TrackedFrame[] =>
  frames.map((frame) => {
    const held = frame.objects.filter((object) => taxonomy.heldByPeople.has(object.className));
    if (held.length === 0) return frame;
    const person = Math.max(0, ...frame.objects.filter((object) => object.className === 'person').map((object) => object.confidence));
    return {
      ...frame,
      objects: frame.objects.map((object) => (taxonomy.heldByPeople.has(object.className) ? { ...object, confidence: (object.confidence * person) / 100 } : object)),
    };
  });
