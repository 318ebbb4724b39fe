/** Loading a model inside a worker and running it on one frame: `load()` plus `detect()`. */
import * as tf from '@tensorflow/tfjs';
import type { Box, Detection } from '../types.js';
import { decodeCenterNet, decodeSsd, decodeYolo, type DecodeContext } from './decode.js';
import { calibrateDetection, classNamesFor, type ModelManifest } from './manifest.js';
import { isWholeFrameOnly, mergeViewDetections, WHOLE_FRAME, type InputSize, type Tiling } from './views.js';
import { freeBatchConstants, withFreeBatch } from './batched-graph.js';
import { locateModelJson, readGraphModelFiles } from './weights.js';
import { fittedInputSize, sizeYoloConstants, withInputSize } from './yolo-graph.js';

export interface LoadedDetector {
  manifest: ModelManifest;
  /**
   * Detects objects in one frame (packed RGB24), looking at each of `views` (boxes normalised to the
   * frame, see views.ts) resized to the model's input; boxes come back normalised to the frame.
   */
  detect(pixels: Uint8Array, width: number, height: number, views?: readonly Box[], secondLook?: boolean): Promise<Detection[]>;
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

/** The part of the model's input a view fills, as fractions of the input's width and height: all of it when stretched. */
export interface ViewContent {
  width: number;
  height: number;
}

const FULL_INPUT: ViewContent = { width: 1, height: 1 };

/** The size, in input pixels, a view of `viewWidth` x `viewHeight` frame pixels is scaled to. */
function scaledViewSize(manifest: ModelManifest, viewWidth: number, viewHeight: number): { width: number; height: number } {
  const { width: inputWidth, height: inputHeight } = manifest.input;
  if (manifest.input.resize === 'stretch') return { width: inputWidth, height: inputHeight };
  const scale = Math.min(inputWidth / viewWidth, inputHeight / viewHeight);
  return { width: Math.min(inputWidth, Math.max(1, Math.round(viewWidth * scale))), height: Math.min(inputHeight, Math.max(1, Math.round(viewHeight * scale))) };
}

/**
 * The views of the frame as model inputs, in view order: one batch (views x inputHeight x inputWidth x 3), or one tensor each,
 * with the part of the input each view fills.
 */
function viewTensors(manifest: ModelManifest, pixels: Uint8Array, width: number, height: number, views: readonly Box[], asOneBatch: boolean): { inputs: tf.Tensor[]; contents: ViewContent[] } {
  const { width: inputWidth, height: inputHeight, valueRange, padValue = 0 } = manifest.input;
  const sizes = views.map((view) => scaledViewSize(manifest, view.width * width, view.height * height));
  const contents = sizes.map((size) => ({ width: size.width / inputWidth, height: size.height / inputHeight }));
  const inputs = tf.tidy(() => {
    // WebGPU: an int32 tensor cast to float keeps its int buffer there, which the first convolution's
    // shader refuses (every detection lost); the frame goes up as float32 from the start.
    const image = tf.getBackend() === 'webgpu' ? tf.tensor4d(Float32Array.from(pixels), [1, height, width, 3], 'float32') : tf.tensor4d(pixels, [1, height, width, 3], 'int32');
    const [low, high] = valueRange;
    const inValueRange = (tensor: tf.Tensor) => (low === 0 && high === 255 ? tensor : tensor.toFloat().mul((high - low) / 255).add(low));
    const asInput = (tensor: tf.Tensor) => (manifest.input.dtype === 'float32' ? inValueRange(tensor).toFloat() : inValueRange(tensor).round().toInt());
    const boxOf = (view: Box) => [view.top, view.left, view.top + view.height, view.left + view.width];
    if (manifest.input.resize === 'letterbox') {
      const floatImage = image.toFloat() as tf.Tensor4D;
      return views.map((view, index) => {
        const size = sizes[index]!;
        const scaled = isWholeFrameOnly([view]) && width === size.width && height === size.height ? floatImage : tf.image.cropAndResize(floatImage, [boxOf(view)], [0], [size.height, size.width], 'bilinear');
        const padded = scaled.pad([[0, 0], [0, inputHeight - size.height], [0, inputWidth - size.width], [0, 0]], padValue);
        return asInput(padded);
      });
    }
    if (isWholeFrameOnly(views) && width === inputWidth && height === inputHeight) return [asInput(image)];
    const crops = tf.image.cropAndResize(image.toFloat() as tf.Tensor4D, views.map(boxOf), views.map(() => 0), [inputHeight, inputWidth], 'bilinear');
    return asOneBatch ? [asInput(crops)] : tf.split(crops, views.length).map(asInput);
  });
  return { inputs, contents };
}

/** Detections of each image of a batch input, in batch order, given the part of the input each image's view fills. */
type RunModel = (input: tf.Tensor, contents: readonly ViewContent[]) => Promise<Detection[][]>;

/** Runs the model on every view (one batch when the graph takes one, else one view at a time) and merges what the views saw. */
async function detectInViews(manifest: ModelManifest, run: RunModel, calibration: DecodeContext['calibration'], asOneBatch: boolean, pixels: Uint8Array, width: number, height: number, views: readonly Box[]): Promise<Detection[]> {
  const { inputs, contents } = viewTensors(manifest, pixels, width, height, views, asOneBatch);
  try {
    const perImage: Detection[][] = [];
    for (const [index, input] of inputs.entries()) perImage.push(...(await run(input, inputs.length === 1 ? contents : [contents[index]!])));
    return mergeViewDetections(perImage.map((detections, index) => ({ view: views[index] ?? WHOLE_FRAME, detections })), manifest.nmsIouThreshold, {
      viewScoring: manifest.viewScoring ?? 'best',
      calibrate: (className, score) => calibrateDetection(calibration, className, score),
    });
  } finally {
    tf.dispose(inputs);
  }
}

/**
 * The input a single view goes to the model at, for a letterboxed model whose manifest asks for it:
 * the whole frame at the smallest size that holds it letterboxed in a square of `input.wholeFrameSide`
 * (at 640, 640 x 384 for 16:9, not 640 x 640), a second look's crop at `secondLook.inputSize`
 * square. Otherwise (tiles included) the manifest's input.
 */
export function viewInputSize(manifest: ModelManifest, views: readonly Box[], frameWidth: number, frameHeight: number, secondLook: boolean): InputSize {
  const view = views.length === 1 ? views[0]! : undefined;
  if (!view || manifest.input.resize !== 'letterbox') return manifest.input;
  const side = manifest.secondLook?.inputSize;
  if (secondLook) return side ? fittedInputSize(view.width * frameWidth, view.height * frameHeight, { width: side, height: side }) : manifest.input;
  const wholeSide = manifest.input.wholeFrameSide;
  return isWholeFrameOnly(views) && wholeSide ? fittedInputSize(frameWidth, frameHeight, { width: wholeSide, height: wholeSide }) : manifest.input;
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
  const runCenterNet = (context: DecodeContext): RunModel => async (input) => {
    const images = input.shape[0] ?? 1;
    const output = model.execute(input, 'tower_0/detections') as tf.Tensor;
    try {
      const rows = await output.data();
      const perImage = rows.length / images;
      return Array.from({ length: images }, (_, image) => decodeCenterNet(rows.subarray(image * perImage, (image + 1) * perImage), inputWidth, inputHeight, context));
    } finally {
      output.dispose();
    }
  };
  const runYolo = (context: DecodeContext, graph: tf.GraphModel = model): RunModel => async (input, contents) => {
    const output = graph.execute(input) as tf.Tensor;
    try {
      if (output.rank !== 3) throw new Error(`${manifest.name}: unexpected output ${output.shape.join('x')}`);
      return [decodeYolo(await output.data(), (output.shape[2] as number) - 5, contents[0] ?? FULL_INPUT, context)];
    } finally {
      output.dispose();
    }
  };
  const runSsd = (context: DecodeContext): RunModel => async (input) => {
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
  const runFor = manifest.name === 'centernet' ? runCenterNet : manifest.name === 'yolov5s' ? runYolo : runSsd;
  // Tiled views are scored with the calibration fitted on tiled views; made once, not per frame.
  const runners: Record<Tiling, RunModel> = { off: runFor(contextFor('off')), tiles: runFor(contextFor('tiles')) };
  // YOLOv5s at other input sizes (yolo-graph.ts), loaded once each, when a view asks for one.
  const graphs = new Map<string, Promise<tf.GraphModel>>();
  const graphAt = (size: InputSize): Promise<tf.GraphModel> => {
    const key = `${size.width}x${size.height}`;
    const known = graphs.get(key);
    if (known) return known;
    const loading = (async () => {
      const resized = withInputSize(modelJson, size);
      const graph = resized && (await loadGraphModel(resized, weightData));
      if (graph && sizeYoloConstants(graph, manifest.input, size)) return graph;
      graph?.dispose();
      throw new Error(`${manifest.name}: the graph cannot be resized to ${key}`);
    })();
    graphs.set(key, loading);
    return loading;
  };
  return {
    manifest,
    batchesViews: batched !== undefined,
    detect: async (pixels, width, height, views = [WHOLE_FRAME], secondLook = false) => {
      const tiling: Tiling = views.length > 1 ? 'tiles' : 'off';
      const input = manifest.name === 'yolov5s' ? viewInputSize(manifest, views, width, height, secondLook) : undefined;
      if (!input || (input.width === inputWidth && input.height === inputHeight)) {
        return detectInViews(manifest, runners[tiling], manifest.calibration[tiling], batched !== undefined && views.length > 1, pixels, width, height, views);
      }
      const atSize = { ...manifest, input: { ...manifest.input, ...input } };
      return detectInViews(atSize, runYolo(contextFor(tiling), await graphAt(input)), manifest.calibration[tiling], false, pixels, width, height, views);
    },
  };
}
