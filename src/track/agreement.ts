import type { Detection } from '../types.js';
import { matchOverlap, type OverlapRule } from './association.js';
import { resolveTrackerOptions, type TrackerOptions } from './options.js';

/**
 * Whether two analysed frames show the same things in the same places: their detections at or
 * above `minConfidence` pair up one to one, same class and boxes overlapping as the tracker
 * requires to match them (`rule`), so nothing appeared, left or moved far.
 */
export function framesAgree(first: readonly Detection[], second: readonly Detection[], minConfidence: number, rule: OverlapRule): boolean {
  const confident = (detections: readonly Detection[]) => detections.filter((detection) => detection.confidence >= minConfidence);
  const unpaired = confident(second);
  for (const detection of confident(first)) {
    const partner = unpaired.findIndex((other) => other.className === detection.className && matchOverlap(other.box, detection.box, rule) >= rule.minIou);
    if (partner < 0) return false;
    unpaired.splice(partner, 1);
  }
  return unpaired.length === 0;
}

/**
 * The tracker's own idea of "the same objects in two frames", for frame scheduling: detections that
 * could start a track (`highConfidence`) paired as the tracker would match them. One definition for
 * both, so work avoidance never skips frames the tracker would have told apart.
 */
export function agreementOf(tracker?: Partial<TrackerOptions>): (first: readonly Detection[], second: readonly Detection[]) => boolean {
  const { highConfidence, minIou, matchBuffer } = resolveTrackerOptions(tracker);
  return (first, second) => framesAgree(first, second, highConfidence, { minIou, matchBuffer });
}
