/** Turning raw model outputs into Detections: pure, so each model's quirks are tested without a model. */
import { boxFromCorners } from '../geometry.js';
import type { Detection } from '../types.js';
import { calibrateDetection, type ModelManifest, type ScoreCalibration } from './manifest.js';
import { suppressOverlaps } from './nms.js';

export type DecodeContext = Pick<ModelManifest, 'minScore' | 'nmsIouThreshold'> & {
  classNames: Map<number, string>;
  calibration: Pick<ScoreCalibration, 'points' | 'classes'>;
};

function toDetection(context: DecodeContext, classIndex: number, score: number, x1: number, y1: number, x2: number, y2: number): Detection | undefined {
  const className = context.classNames.get(classIndex);
  if (className === undefined || !(score >= context.minScore)) return undefined;
  const box = boxFromCorners(x1, y1, x2, y2);
  if (box.width <= 0 || box.height <= 0) return undefined;
  return { box, className, score, confidence: calibrateDetection(context.calibration, className, score) };
}

/**
 * CenterNet emits rows of [x1, y1, x2, y2, score, class] in input pixels. Views are stretched to
 * the input size, so dividing by it gives coordinates normalised to the view.
 */
export function decodeCenterNet(rows: ArrayLike<number>, inputWidth: number, inputHeight: number, context: DecodeContext): Detection[] {
  const detections: Detection[] = [];
  for (let offset = 0; offset + 6 <= rows.length; offset += 6) {
    const at = (i: number) => rows[offset + i] as number;
    const detection = toDetection(context, Math.round(at(5)), at(4), at(0) / inputWidth, at(1) / inputHeight, at(2) / inputWidth, at(3) / inputHeight);
    if (detection) detections.push(detection);
  }
  return suppressOverlaps(detections, context.nmsIouThreshold);
}

/**
 * SSD emits, per anchor, one score per class (`classCount` wide) and a normalised box
 * [y1, x1, y2, x2]; each anchor votes for its best class.
 */
export function decodeSsd(scores: ArrayLike<number>, boxes: ArrayLike<number>, classCount: number, context: DecodeContext): Detection[] {
  const detections: Detection[] = [];
  const anchors = Math.floor(scores.length / classCount);
  for (let anchor = 0; anchor < anchors; anchor += 1) {
    let bestClass = 0;
    let bestScore = -Infinity;
    for (let classIndex = 0; classIndex < classCount; classIndex += 1) {
      const score = scores[anchor * classCount + classIndex] as number;
      if (score > bestScore) {
        bestScore = score;
        bestClass = classIndex;
      }
    }
    const box = (i: number) => boxes[anchor * 4 + i] as number;
    const detection = toDetection(context, bestClass, bestScore, box(1), box(0), box(3), box(2));
    if (detection) detections.push(detection);
  }
  return suppressOverlaps(detections, context.nmsIouThreshold);
}

/**
 * YOLOv5 (Ultralytics' TensorFlow export) emits one row per anchor: [cx, cy, w, h] normalised to the
 * model's input, an objectness, then one probability per class; a box's score for a class is
 * objectness x that probability, and each anchor votes for its best class. The view was letterboxed
 * into the input's top-left `content` fraction (width, height), so dividing by it gives coordinates
 * normalised to the view.
 */
export function decodeYolo(rows: ArrayLike<number>, classCount: number, content: { width: number; height: number }, context: DecodeContext): Detection[] {
  const stride = 5 + classCount;
  const detections: Detection[] = [];
  for (let offset = 0; offset + stride <= rows.length; offset += stride) {
    const objectness = rows[offset + 4] as number;
    if (!(objectness >= context.minScore)) continue;
    let bestClass = 0;
    let bestProbability = -Infinity;
    for (let classIndex = 0; classIndex < classCount; classIndex += 1) {
      const probability = rows[offset + 5 + classIndex] as number;
      if (probability > bestProbability) [bestClass, bestProbability] = [classIndex, probability];
    }
    const [centreX, centreY, width, height] = [0, 1, 2, 3].map((i) => rows[offset + i] as number) as [number, number, number, number];
    const detection = toDetection(
      context,
      bestClass,
      objectness * bestProbability,
      (centreX - width / 2) / content.width,
      (centreY - height / 2) / content.height,
      (centreX + width / 2) / content.width,
      (centreY + height / 2) / content.height,
    );
    if (detection) detections.push(detection);
  }
  return suppressOverlaps(detections, context.nmsIouThreshold);
}
