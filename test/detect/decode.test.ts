import { describe, expect, it } from 'vitest';
import { decodeCenterNet, decodeSsd, decodeYolo } from '../../src/detect/decode.js';
import { calibrateDetection, calibrateScore, loadModelManifest } from '../../src/detect/manifest.js';
import { suppressOverlaps } from '../../src/detect/nms.js';
import { InvalidParameterException } from '../../src/errors.js';

const context = {
  minScore: 0.2,
  nmsIouThreshold: 0.5,
  calibration: { points: [[0, 0], [0.5, 50], [1, 100]] as Array<[number, number]> },
  classNames: new Map([
    [0, 'person'],
    [39, 'bottle'],
  ]),
};

describe('decodeCenterNet', () => {
  it('normalises input-pixel corners by the input size and calibrates the score', () => {
    const [detection] = decodeCenterNet([128, 256, 384, 512, 0.5, 39], 512, 512, context);
    expect(detection).toEqual({ box: { left: 0.25, top: 0.5, width: 0.5, height: 0.5 }, className: 'bottle', score: 0.5, confidence: 50 });
  });

  it('drops rows below the model minimum score and classes outside the class map', () => {
    const rows = [0, 0, 100, 100, 0.19, 0, 0, 0, 100, 100, 0.9, 77];
    expect(decodeCenterNet(rows, 512, 512, context)).toEqual([]);
  });

  it('clamps boxes that stick out of the frame', () => {
    const [detection] = decodeCenterNet([-50, -10, 600, 256, 0.6, 0], 512, 512, context);
    expect(detection?.box).toEqual({ left: 0, top: 0, width: 1, height: 0.5 });
  });

  it('keeps one of two overlapping boxes of the same class, the better one', () => {
    const rows = [0, 0, 100, 100, 0.4, 39, 2, 2, 102, 102, 0.7, 39, 0, 0, 100, 100, 0.3, 0];
    const detections = decodeCenterNet(rows, 512, 512, context);
    expect(detections.map((d) => [d.className, d.score])).toEqual([
      ['bottle', 0.7],
      ['person', 0.3],
    ]);
  });
});

describe('decodeSsd', () => {
  it('takes each anchor\'s best class and reads boxes as y1, x1, y2, x2', () => {
    const classCount = 40;
    const scores = new Array(2 * classCount).fill(0);
    scores[39] = 0.8; // anchor 0 -> bottle
    scores[classCount + 0] = 0.1; // anchor 1 -> person, below minScore
    const boxes = [0.1, 0.2, 0.5, 0.4, 0, 0, 1, 1];
    const detections = decodeSsd(scores, boxes, classCount, context);
    expect(detections).toHaveLength(1);
    expect(detections[0]?.className).toBe('bottle');
    expect(detections[0]?.box.left).toBeCloseTo(0.2);
    expect(detections[0]?.box.top).toBeCloseTo(0.1);
    expect(detections[0]?.box.width).toBeCloseTo(0.2);
    expect(detections[0]?.box.height).toBeCloseTo(0.4);
  });
});

describe('decodeYolo', () => {
  const classCount = 40;
  const row = (centreX: number, centreY: number, width: number, height: number, objectness: number, probabilities: Record<number, number>) => {
    const values = [centreX, centreY, width, height, objectness, ...new Array(classCount).fill(0)];
    for (const [classIndex, probability] of Object.entries(probabilities)) values[5 + Number(classIndex)] = probability;
    return values;
  };

  it('scores each anchor as objectness x its best class probability, box from centre and size', () => {
    const [detection] = decodeYolo(row(0.5, 0.5, 0.2, 0.4, 0.9, { 39: 0.8, 0: 0.1 }), classCount, { width: 1, height: 1 }, context);
    expect(detection?.className).toBe('bottle');
    expect(detection?.score).toBeCloseTo(0.72);
    expect(detection?.box.left).toBeCloseTo(0.4);
    expect(detection?.box.top).toBeCloseTo(0.3);
    expect(detection?.box.width).toBeCloseTo(0.2);
    expect(detection?.box.height).toBeCloseTo(0.4);
  });

  it('reads boxes of a letterboxed view relative to the part of the input the view fills', () => {
    // A 16:9 view letterboxed into a square input fills its top 56.25 %: a box at the bottom of the view ends at 0.5625.
    const [detection] = decodeYolo(row(0.5, 0.5, 0.2, 0.125, 0.9, { 0: 0.9 }), classCount, { width: 1, height: 0.5625 }, context);
    expect(detection?.box.top).toBeCloseTo(0.4375 / 0.5625);
    expect(detection?.box.top! + detection?.box.height!).toBeCloseTo(0.5625 / 0.5625);
    expect(detection?.box.width).toBeCloseTo(0.2);
  });

  it('drops anchors under the minimum score, by objectness or by the product, and keeps the best of overlapping same-class boxes', () => {
    const rows = [
      ...row(0.5, 0.5, 0.2, 0.2, 0.15, { 39: 1 }), // objectness under minScore
      ...row(0.5, 0.5, 0.2, 0.2, 0.5, { 39: 0.3 }), // 0.15 overall
      ...row(0.3, 0.3, 0.2, 0.2, 0.9, { 0: 0.9 }),
      ...row(0.31, 0.3, 0.2, 0.2, 0.8, { 0: 0.9 }), // the same person, less sure
    ];
    const detections = decodeYolo(rows, classCount, { width: 1, height: 1 }, context);
    expect(detections).toHaveLength(1);
    expect(detections[0]?.score).toBeCloseTo(0.81);
  });
});

describe('suppressOverlaps', () => {
  it('never suppresses across classes', () => {
    const box = { left: 0, top: 0, width: 0.5, height: 0.5 };
    const kept = suppressOverlaps(
      [
        { box, className: 'cup', score: 0.5, confidence: 50 },
        { box, className: 'bowl', score: 0.4, confidence: 40 },
      ],
      0.5,
    );
    expect(kept).toHaveLength(2);
  });
});

describe('calibration', () => {
  const points: Array<[number, number]> = [[0, 0], [0.3, 50], [1, 100]];
  it('interpolates linearly between points and clamps outside them', () => {
    expect(calibrateScore(points, 0.15)).toBeCloseTo(25);
    expect(calibrateScore(points, 0.3)).toBeCloseTo(50);
    expect(calibrateScore(points, 0.65)).toBeCloseTo(75);
    expect(calibrateScore(points, 2)).toBe(100);
  });

  it('maps a class with a curve of its own through it, every other class through the common one', () => {
    const calibration = { points, classes: { person: [[0, 0], [0.2, 70], [1, 90]] as Array<[number, number]> } };
    expect(calibrateDetection(calibration, 'person', 0.2)).toBeCloseTo(70);
    expect(calibrateDetection(calibration, 'bottle', 0.2)).toBeCloseTo(calibrateScore(points, 0.2));
    // The shipped tiled calibration: the model's people at raw 0.3 are right far more often than other classes at 0.3.
    const shipped = loadModelManifest('centernet').calibration.tiles;
    expect(calibrateDetection(shipped, 'person', 0.3)).toBeGreaterThan(50);
    expect(calibrateDetection(shipped, 'cat', 0.3)).toBeLessThan(30);
  });

  it('is monotonic for every shipped model, tiled or not', () => {
    for (const name of ['centernet', 'coco-ssd']) {
      for (const tiling of ['off', 'tiles'] as const) {
        const { points, classes = {} } = loadModelManifest(name).calibration[tiling];
        for (const curve of [points, ...Object.values(classes)]) {
          let previous = -Infinity;
          for (let score = 0; score <= 1; score += 0.01) {
            const confidence = calibrateScore(curve, score);
            expect(confidence).toBeGreaterThanOrEqual(previous);
            expect(confidence).toBeLessThanOrEqual(100);
            previous = confidence;
          }
        }
      }
    }
  });

  it('refuses an unknown model by name', () => {
    expect(() => loadModelManifest('yolo-v99')).toThrow(InvalidParameterException);
    expect(() => loadModelManifest('yolo-v99')).toThrow(/yolo-v99/);
  });
});
