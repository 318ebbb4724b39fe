/** Loading a model inside a worker and running it on one frame: `load()` plus `detect()`. */
import * as tf from '@tensorflow/tfjs';
import type { Box, Detection } from '../types.js';
import { decodeCenterNet, decodeSsd, type DecodeContext } from './decode.js';
import { classNamesFor, type ModelManifest } from './manifest.js';
import { isWholeFrameOnly, mergeViewDetections, WHOLE_FRAME, type Tiling } from './views.js';
import { freeBatchConstants, withFreeBatch } from './batched-graph.js';
import { locateModelJson, readGraphModelFiles } from './weights.js';

export interface LoadedDetector {
  manifest: ModelManifest;
  /**
   * Detects objects in one frame (packed RGB24), looking at each of `views` (boxes normalised to the
   * frame, see views.ts) resized to the model's input; boxes come back normalised to the frame.
   */
  detect(pixels: Uint8Array, width: number, height: number, views?: readonly Box[]): Promise<Detection[]>;
  /** Whether the views of a frame go to the model as one batch (CenterNet on WebGPU, batched-graph.ts). */
  batchesViews: boolean;
}

export type ModelJson = ReturnType<typeof readGraphModelFiles>['modelJson'];

export async function loadGraphModel(modelJson: ModelJson, weightData: ArrayBuffer): Promise<tf.GraphModel> {
  return tf.loadGraphModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology as tf.io.ModelArtifacts['modelTopology'],
      weightSpecs: modelJson.weightsManifest.flatMap((group) => group.weights) as tf.io.WeightsManifestEntry[],
      weightData,
      format: modelJson.format,
      generatedBy: modelJson.generatedBy,
      convertedBy: modelJson.convertedBy,
      signature: modelJson.signature as tf.io.ModelArtifacts['signature'],
      userDefinedMetadata: modelJson.userDefinedMetadata as tf.io.ModelArtifacts['userDefinedMetadata'],
    }),
  );
}

/** CenterNet with a free batch (batched-graph.ts), on WebGPU only; undefined where it does not apply. */
async function loadBatchedCenterNet(manifest: ModelManifest, modelJson: ModelJson, weightData: ArrayBuffer): Promise<tf.GraphModel | undefined> {
  if (manifest.name !== 'centernet' || tf.getBackend() !== 'webgpu') return undefined;
  const rewritten = withFreeBatch(modelJson);
  if (!rewritten) return undefined;
  const model = await loadGraphModel(rewritten, weightData);
  if (freeBatchConstants(model, classNamesFor(manifest).size)) return model;
  model.dispose();
  return undefined;
}

/** The views of the frame as model inputs, in view order: one batch (views x inputHeight x inputWidth x 3), or one tensor each. */
function viewTensors(manifest: ModelManifest, pixels: Uint8Array, width: number, height: number, views: readonly Box[], asOneBatch: boolean): tf.Tensor[] {
  const { width: inputWidth, height: inputHeight } = manifest.input;
  return tf.tidy(() => {
    // WebGPU: an int32 tensor cast to float keeps its int buffer there, which the first convolution's
    // shader refuses (every detection lost); the frame goes up as float32 from the start.
    const image = tf.getBackend() === 'webgpu' ? tf.tensor4d(Float32Array.from(pixels), [1, height, width, 3], 'float32') : tf.tensor4d(pixels, [1, height, width, 3], 'int32');
    const asInput = (tensor: tf.Tensor) => (manifest.input.dtype === 'float32' ? tensor.toFloat() : tensor.round().toInt());
    if (isWholeFrameOnly(views) && width === inputWidth && height === inputHeight) return [asInput(image)];
    const boxes = views.map((view) => [view.top, view.left, view.top + view.height, view.left + view.width]);
    const crops = tf.image.cropAndResize(image.toFloat() as tf.Tensor4D, boxes, views.map(() => 0), [inputHeight, inputWidth], 'bilinear');
    return asOneBatch ? [asInput(crops)] : tf.split(crops, views.length).map(asInput);
  });
}

/** Detections of each image of a batch input, in batch order. */
type RunModel = (input: tf.Tensor) => Promise<Detection[][]>;

/** Runs the model on every view (one batch when the graph takes one, else one view at a time) and merges what the views saw. */
async function detectInViews(manifest: ModelManifest, run: RunModel, asOneBatch: boolean, pixels: Uint8Array, width: number, height: number, views: readonly Box[]): Promise<Detection[]> {
  const inputs = viewTensors(manifest, pixels, width, height, views, asOneBatch);
  try {
    const perImage: Detection[][] = [];
    for (const input of inputs) perImage.push(...(await run(input)));
    return mergeViewDetections(perImage.map((detections, index) => ({ view: views[index] ?? WHOLE_FRAME, detections })), manifest.nmsIouThreshold);
  } finally {
    tf.dispose(inputs);
  }
}

export async function loadDetector(manifest: ModelManifest, modelPath?: string): Promise<LoadedDetector> {
  const { modelJson, weightData } = readGraphModelFiles(await locateModelJson(manifest, modelPath));
  // On a GPU the views of a frame go as one dispatch with one read-back; the batched graph serves
  // single views too, so the weights are uploaded once.
  const batched = await loadBatchedCenterNet(manifest, modelJson, weightData);
  const model = batched ?? (await loadGraphModel(modelJson, weightData));
  const classNames = classNamesFor(manifest);
  const contextFor = (tiling: Tiling): DecodeContext => ({ ...manifest, classNames, calibration: manifest.calibration[tiling] });
  const { width: inputWidth, height: inputHeight } = manifest.input;
  const runFor = (context: DecodeContext): RunModel =>
    manifest.name === 'centernet'
      ? async (input) => {
          const images = input.shape[0] ?? 1;
          const output = model.execute(input, 'tower_0/detections') as tf.Tensor;
          try {
            const rows = await output.data();
            const perImage = rows.length / images;
            return Array.from({ length: images }, (_, image) => decodeCenterNet(rows.subarray(image * perImage, (image + 1) * perImage), inputWidth, inputHeight, context));
          } finally {
            output.dispose();
          }
        }
      : async (input) => {
          const outputs = (await model.executeAsync(input)) as tf.Tensor[];
          try {
            const scores = outputs.find((tensor) => tensor.rank === 3);
            const boxes = outputs.find((tensor) => tensor.rank === 4);
            if (!scores || !boxes) throw new Error(`${manifest.name}: unexpected outputs ${outputs.map((t) => t.shape.join('x')).join(', ')}`);
            return [decodeSsd(await scores.data(), await boxes.data(), scores.shape[2] as number, context)];
          } finally {
            tf.dispose(outputs);
          }
        };
  // Tiled views are scored with the calibration fitted on tiled views; made once, not per frame.
  const runners: Record<Tiling, RunModel> = { off: runFor(contextFor('off')), tiles: runFor(contextFor('tiles')) };
  return {
    manifest,
    batchesViews: batched !== undefined,
    detect: (pixels, width, height, views = [WHOLE_FRAME]) =>
      detectInViews(manifest, runners[views.length > 1 ? 'tiles' : 'off'], batched !== undefined && views.length > 1, pixels, width, height, views),
  };
}
