/**
 * CenterNet with a free batch dimension, so that the views of a frame go to a GPU as one dispatch
 * with one read-back instead of one each. The converted graph fixes its input batch to 1, and its
 * post-processing (the top-100 gather) assumes one image; both are rewritten:
 *   - the input placeholder's batch becomes -1;
 *   - the gather that picks each image's top detections works per image (batch_dims 1, axis 1);
 *   - the shape constants around it that assume one image are made per image.
 * Only on WebGPU: the wasm backend's gather gives wrong rows with batch_dims (measured), and a CPU
 * gains nothing from a batch. Anything that does not look as expected leaves the graph unbatched.
 */
import * as tf from '@tensorflow/tfjs';

interface GraphNode {
  name: string;
  op: string;
  attr?: Record<string, { shape?: { dim?: Array<{ size: string }> }; i?: string }>;
}

interface ModelJsonParts {
  modelTopology: unknown;
  signature?: unknown;
}

const GATHER = 'tower_0/BatchGather/GatherV2';
const RESHAPE = 'tower_0/Reshape/shape';
const BOXES = 'tower_0/BatchGather/concat';
const INDICES = 'tower_0/BatchGather/Reshape_1/shape';
const GATHER_AXIS = 'tower_0/BatchGather/GatherV2/axis';
const TOP_BOXES = 'tower_0/BatchGather/concat_1';

/** The model.json with a free input batch and a per-image gather; undefined when the graph is not the CenterNet this expects. */
export function withFreeBatch<T extends ModelJsonParts>(modelJson: T): T | undefined {
  const copy = structuredClone(modelJson) as T & { modelTopology: { node?: GraphNode[] }; signature?: { inputs?: Record<string, { tensorShape?: { dim?: Array<{ size: string }> } }> } };
  const nodes = copy.modelTopology.node ?? [];
  const gather = nodes.find((node) => node.name === GATHER);
  const placeholders = nodes.filter((node) => node.op === 'Placeholder');
  if (!gather?.attr || placeholders.length !== 1 || placeholders[0]!.attr?.shape?.shape?.dim?.[0]?.size !== '1') return undefined;
  placeholders[0]!.attr.shape.shape.dim[0]!.size = '-1';
  for (const input of Object.values(copy.signature?.inputs ?? {})) if (input.tensorShape?.dim?.[0]) input.tensorShape.dim[0].size = '-1';
  gather.attr.batch_dims = { i: '1' };
  return copy;
}

/**
 * The loaded graph's post-processing constants made per image (changed in place). False, and
 * nothing changed, when one is missing or not the batch-of-one value this expects:
 *   Reshape/shape [1, -1] (the heatmap, flattened)    -> [-1, cells x classes]
 *   BatchGather/concat [cells, 4] (the boxes)          -> [-1, cells, 4]
 *   BatchGather/Reshape_1/shape [-1] (the top indices) -> [-1, top]
 *   BatchGather/GatherV2/axis [0]                      -> 1
 *   BatchGather/concat_1 [1, top, 4]                   -> [-1, top, 4]
 */
export function freeBatchConstants(model: tf.GraphModel, classCount: number): boolean {
  const weights = model.weights as Record<string, tf.Tensor[] | undefined>;
  const valueOf = (name: string) => Array.from(weights[name]?.[0]?.dataSync() ?? []);
  const [heatmap, boxes, indices, axis, top] = [RESHAPE, BOXES, INDICES, GATHER_AXIS, TOP_BOXES].map(valueOf) as [number[], number[], number[], number[], number[]];
  const same = (a: number[], b: number[]) => a.length === b.length && a.every((value, index) => value === b[index]);
  const cells = boxes[0]!;
  const kept = top[1]!;
  if (!same(heatmap, [1, -1]) || !same(boxes, [cells, 4]) || !same(indices, [-1]) || !same(axis, [0]) || !same(top, [1, kept, 4])) return false;
  const replace = (name: string, value: number | number[]) => {
    tf.dispose(weights[name]);
    weights[name] = [tf.tensor(value, Array.isArray(value) ? [value.length] : [], 'int32')];
  };
  replace(RESHAPE, [-1, cells * classCount]);
  replace(BOXES, [-1, cells, 4]);
  replace(INDICES, [-1, kept]);
  replace(GATHER_AXIS, 1);
  replace(TOP_BOXES, [-1, kept, 4]);
  return true;
}
