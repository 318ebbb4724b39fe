/**
 * YOLOv5's converted graph at another input size. The network is convolutional and takes any size
 * that is a multiple of its largest stride (32), as Ultralytics' own rectangular inference does, but
 * the TensorFlow.js export fixes the size in its input placeholder and in the constants of its
 * detection head. Both are rewritten for the new size:
 *   - the placeholder [1, H, W, 3] (and the signature's input);
 *   - the two upsampling sizes [H/16, W/16] and [H/8, W/8];
 *   - per output level of stride s (8, 16, 32), with a grid of nx = W/s by ny = H/s cells:
 *     the grid offsets [1, 1, nx ny, 2] (x - 0.5, y - 0.5, x fastest), the scale [s/W, s/H] that
 *     normalises centres to the input, the anchors [1, 3, 1, 2] in units of the input (each anchor's
 *     pixels over W and H), and the reshapes [-1, nx ny, 3, 85] and [-1, 3 nx ny, 85].
 * A 16:9 frame letterboxed into 640 x 640 is 44 % grey padding; at 640 x 384 the same picture costs
 * 0.6 of the inference. Anything that does not look as expected leaves the graph as it is.
 */
import * as tf from '@tensorflow/tfjs';
import type { InputSize } from './views.js';

/** The graph's largest stride: an input size must be a multiple of it. */
export const YOLO_STRIDE = 32;

const PREFIX = 'StatefulPartitionedCall/model/';
const LEVELS = [
  { stride: 8, grid: 'tf_detect/sub', scale: 'tf_detect/mul_2', anchors: 'tf_detect/mul_4', cells: 'tf_detect/Reshape/shape_1', rows: 'tf_detect/Reshape_1/shape_1' },
  { stride: 16, grid: 'tf_detect/sub_1', scale: 'tf_detect/mul_9', anchors: 'tf_detect/mul_11', cells: 'tf_detect/Reshape_2/shape_1', rows: 'tf_detect/Reshape_3/shape_1' },
  { stride: 32, grid: 'tf_detect/sub_2', scale: 'tf_detect/mul_16', anchors: 'tf_detect/mul_18', cells: 'tf_detect/Reshape_4/shape_1', rows: 'tf_detect/Reshape_5/shape_1' },
] as const;
const UPSAMPLES = [
  { name: 'tf_upsample/resize/size', stride: 16 },
  { name: 'tf_upsample_1/resize/size', stride: 8 },
] as const;

interface GraphNode {
  op: string;
  attr?: { shape?: { shape?: { dim?: Array<{ size: string }> } } };
}

interface ModelJsonParts {
  modelTopology: unknown;
  signature?: unknown;
}

/** The model.json with its input placeholder (and signature) at `size`; undefined when it has not the one [1, H, W, 3] input this expects. */
export function withInputSize<T extends ModelJsonParts>(modelJson: T, size: InputSize): T | undefined {
  const copy = structuredClone(modelJson) as T & { modelTopology: { node?: GraphNode[] }; signature?: { inputs?: Record<string, { tensorShape?: { dim?: Array<{ size: string }> } }> } };
  const placeholders = (copy.modelTopology.node ?? []).filter((node) => node.op === 'Placeholder');
  const dims = placeholders[0]?.attr?.shape?.shape?.dim;
  if (placeholders.length !== 1 || dims?.length !== 4) return undefined;
  const resize = (dim: Array<{ size: string }> | undefined) => {
    if (dim?.length !== 4) return;
    dim[1]!.size = String(size.height);
    dim[2]!.size = String(size.width);
  };
  resize(dims);
  for (const input of Object.values(copy.signature?.inputs ?? {})) resize(input.tensorShape?.dim);
  return copy;
}

/** Grid offsets of an nx x ny level: for each cell, x fastest, [x - 0.5, y - 0.5]. */
function gridOffsets(nx: number, ny: number): Float32Array {
  const offsets = new Float32Array(nx * ny * 2);
  for (let y = 0; y < ny; y += 1) {
    for (let x = 0; x < nx; x += 1) {
      offsets[(y * nx + x) * 2] = x - 0.5;
      offsets[(y * nx + x) * 2 + 1] = y - 0.5;
    }
  }
  return offsets;
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
const same = (a: ArrayLike<number>, b: ArrayLike<number>) => a.length === b.length && Array.from(a).every((value, index) => close(value, b[index]!));

/**
 * The loaded graph's head constants made for `to` (changed in place), from the size `from` it was
 * exported at. False, and nothing changed, when a constant is missing or not what `from` implies.
 */
export function sizeYoloConstants(model: tf.GraphModel, from: InputSize, to: InputSize): boolean {
  if (to.width % YOLO_STRIDE !== 0 || to.height % YOLO_STRIDE !== 0 || to.width <= 0 || to.height <= 0) return false;
  const weights = model.weights as Record<string, tf.Tensor[] | undefined>;
  const valueOf = (name: string) => weights[PREFIX + name]?.[0];
  const replacements: Array<[string, tf.Tensor]> = [];
  const expected = (name: string, values: ArrayLike<number>): boolean => {
    const tensor = valueOf(name);
    return tensor !== undefined && same(tensor.dataSync(), values);
  };
  let matches = UPSAMPLES.every(({ name, stride }) => expected(name, [from.height / stride, from.width / stride]));
  for (const level of LEVELS) {
    if (!matches) break;
    const [nx, ny] = [from.width / level.stride, from.height / level.stride];
    const anchors = valueOf(level.anchors);
    matches =
      expected(level.grid, gridOffsets(nx, ny)) &&
      expected(level.scale, [level.stride / from.width, level.stride / from.height]) &&
      expected(level.cells, [-1, nx * ny, 3, 85]) &&
      expected(level.rows, [-1, 3 * nx * ny, 85]) &&
      anchors !== undefined &&
      anchors.shape.join() === '1,3,1,2';
  }
  if (!matches) return false;
  for (const { name, stride } of UPSAMPLES) replacements.push([name, tf.tensor1d([to.height / stride, to.width / stride], 'int32')]);
  for (const level of LEVELS) {
    const [nx, ny] = [to.width / level.stride, to.height / level.stride];
    const anchorPixels = Array.from(valueOf(level.anchors)!.dataSync(), (value, index) => value * (index % 2 === 0 ? from.width : from.height));
    replacements.push(
      [level.grid, tf.tensor(gridOffsets(nx, ny), [1, 1, nx * ny, 2], 'float32')],
      [level.scale, tf.tensor([[level.stride / to.width, level.stride / to.height]], [1, 2], 'float32')],
      [level.anchors, tf.tensor(anchorPixels.map((pixels, index) => pixels / (index % 2 === 0 ? to.width : to.height)), [1, 3, 1, 2], 'float32')],
      [level.cells, tf.tensor1d([-1, nx * ny, 3, 85], 'int32')],
      [level.rows, tf.tensor1d([-1, 3 * nx * ny, 85], 'int32')],
    );
  }
  for (const [name, tensor] of replacements) {
    tf.dispose(weights[PREFIX + name]);
    weights[PREFIX + name] = [tensor];
  }
  return true;
}

/** The input a letterboxed view of `viewWidth` x `viewHeight` pixels needs: scaled to fit `within`, each side rounded up to a multiple of the stride. */
export function fittedInputSize(viewWidth: number, viewHeight: number, within: InputSize): InputSize {
  const scale = Math.min(within.width / viewWidth, within.height / viewHeight);
  const up = (length: number, limit: number) => Math.min(limit, Math.max(YOLO_STRIDE, Math.ceil((length * scale) / YOLO_STRIDE - 1e-9) * YOLO_STRIDE));
  return { width: up(viewWidth, within.width), height: up(viewHeight, within.height) };
}
