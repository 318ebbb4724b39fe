/**
 * Which detector the quality harness records and replays: the shipped default, or another of
 * AVAILABLE_MODELS named by QUALITY_MODEL (e.g. `QUALITY_MODEL=yolov5s`, whose weights are fetched
 * by bench/fetch-yolov5s.sh, or `QUALITY_MODEL=coco-ssd`, fetched by bench/fetch-coco-ssd.sh; QUALITY_MODEL_PATH overrides where a model's weights are read from).
 */
import { fileURLToPath } from 'node:url';
import { DEFAULT_MODEL } from '../../src/detect/manifest.js';

export const QUALITY_MODEL: string = process.env.QUALITY_MODEL || DEFAULT_MODEL;

/** Where bench/fetch-yolov5s.sh puts the YOLOv5s weights. */
export const YOLOV5S_WEIGHTS = fileURLToPath(new URL('../.cache/yolov5s', import.meta.url));

/** Where bench/fetch-coco-ssd.sh puts the coco-ssd weights. */
const COCO_SSD_WEIGHTS = fileURLToPath(new URL('../.cache/coco-ssd', import.meta.url));

const FETCHED_WEIGHTS: Record<string, string> = { yolov5s: YOLOV5S_WEIGHTS, 'coco-ssd': COCO_SSD_WEIGHTS };

export const QUALITY_MODEL_PATH: string | undefined = process.env.QUALITY_MODEL_PATH || FETCHED_WEIGHTS[QUALITY_MODEL];

export const qualityPool = { model: QUALITY_MODEL, ...(QUALITY_MODEL_PATH ? { modelPath: QUALITY_MODEL_PATH } : {}) };
