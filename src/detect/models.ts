/** Loading a model inside a worker and running it on one frame: `load()` plus `detect()`. */
import * as tf from '@tensorflow/tfjs';
import type { Box, Detection } from '../types.js';
import { decodeCenterNet, decodeSsd, type DecodeContext } from './decode.js';
import { classNamesFor, type ModelManifest } from './manifest.js';
import { isWholeFrameOnly, mergeViewDetections, WHOLE_FRAME, type Tiling } from './views.js';
import { locateModelJson, readGraphModelFiles } from './weights.js';

export interface LoadedDetector {
  manifest: ModelManifest;
  /**
   * Detects objects in one frame (packed RGB24), looking at each of `views` (boxes normalised to the
   * frame, see views.ts) resized to the model's input; boxes come back normalised to the frame.
   */
  detect(pixels: Uint8Array, width: number, height: number, views?: readonly Box[]): Promise<Detection[]>;
}

async function loadGraphModel(manifest: ModelManifest, modelPath?: string): Promise<tf.GraphModel> {
  const { modelJson, weightData } = readGraphModelFiles(await locateModelJson(manifest, modelPath));
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

/** Each view of the frame as one model input (1 x inputHeight x inputWidth x 3), in view order. */
function viewTensors(manifest: ModelManifest, pixels: Uint8Array, width: number, height: number, views: readonly Box[]): tf.Tensor[] {
  const { width: inputWidth, height: inputHeight } = manifest.input;
  return tf.tidy(() => {
    const image = tf.tensor4d(pixels, [1, height, width, 3], 'int32');
    const asInput = (tensor: tf.Tensor) => (manifest.input.dtype === 'float32' ? tensor.toFloat() : tensor.round().toInt());
    if (isWholeFrameOnly(views) && width === inputWidth && height === inputHeight) return [asInput(image)];
    const boxes = views.map((view) => [view.top, view.left, view.top + view.height, view.left + view.width]);
    const crops = tf.image.cropAndResize(image.toFloat() as tf.Tensor4D, boxes, views.map(() => 0), [inputHeight, inputWidth], 'bilinear');
    return tf.split(crops, views.length).map(asInput);
  });
}

type RunModel = (input: tf.Tensor) => Promise<Detection[]>;

/** Runs the model on every view (the graphs take one image at a time) and merges what the views saw. */
async function detectInViews(manifest: ModelManifest, run: RunModel, pixels: Uint8Array, width: number, height: number, views: readonly Box[]): Promise<Detection[]> {
  const inputs = viewTensors(manifest, pixels, width, height, views);
  try {
    const perView = [];
    for (const [index, input] of inputs.entries()) perView.push({ view: views[index] as Box, detections: await run(input) });
    return mergeViewDetections(perView, manifest.nmsIouThreshold);
  } finally {
    tf.dispose(inputs);
  }
}

export async function loadDetector(manifest: ModelManifest, modelPath?: string): Promise<LoadedDetector> {
  const model = await loadGraphModel(manifest, modelPath);
  const classNames = classNamesFor(manifest);
  const contextFor = (tiling: Tiling): DecodeContext => ({ ...manifest, classNames, calibration: manifest.calibration[tiling] });
  const { width: inputWidth, height: inputHeight } = manifest.input;
  const runFor = (context: DecodeContext): RunModel =>
    manifest.name === 'centernet'
      ? async (input) => {
          const output = model.execute(input, 'tower_0/detections') as tf.Tensor;
          try {
            return decodeCenterNet(await output.data(), inputWidth, inputHeight, context);
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
            return decodeSsd(await scores.data(), await boxes.data(), scores.shape[2] as number, context);
          } finally {
            tf.dispose(outputs);
          }
        };
  // Tiled views are scored with the calibration fitted on tiled views; made once, not per frame.
  const runners: Record<Tiling, RunModel> = { off: runFor(contextFor('off')), tiles: runFor(contextFor('tiles')) };
  return {
    manifest,
    detect: (pixels, width, height, views = [WHOLE_FRAME]) =>
      detectInViews(manifest, runners[views.length > 1 ? 'tiles' : 'off'], pixels, width, height, views),
  };
}
