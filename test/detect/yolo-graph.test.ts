import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { fittedInputSize, sizeYoloConstants, withInputSize } from '../../src/detect/yolo-graph.js';

const PREFIX = 'StatefulPartitionedCall/model/';

/**
 * The head constants YOLOv5's TensorFlow.js export holds for a 64 x 64 input, written out by hand
 * (three levels of stride 8, 16 and 32: 8 x 8, 4 x 4 and 2 x 2 cells), with anchors of 10 x 13,
 * 30 x 61 and 116 x 90 pixels in each level.
 */
function headFor64(): Record<string, tf.Tensor[]> {
  const grid = (n: number) => tf.tensor(Array.from({ length: n * n }, (_, cell) => [(cell % n) - 0.5, Math.floor(cell / n) - 0.5]).flat(), [1, 1, n * n, 2]);
  const anchors = tf.tensor([10, 13, 30, 61, 116, 90].map((pixels) => pixels / 64), [1, 3, 1, 2]);
  const level = (suffix: { grid: string; scale: string; anchors: string; cells: string; rows: string }, stride: number) => {
    const n = 64 / stride;
    return {
      [PREFIX + suffix.grid]: [grid(n)],
      [PREFIX + suffix.scale]: [tf.tensor([[stride / 64, stride / 64]])],
      [PREFIX + suffix.anchors]: [anchors.clone()],
      [PREFIX + suffix.cells]: [tf.tensor1d([-1, n * n, 3, 85], 'int32')],
      [PREFIX + suffix.rows]: [tf.tensor1d([-1, 3 * n * n, 85], 'int32')],
    };
  };
  return {
    [`${PREFIX}tf_upsample/resize/size`]: [tf.tensor1d([4, 4], 'int32')],
    [`${PREFIX}tf_upsample_1/resize/size`]: [tf.tensor1d([8, 8], 'int32')],
    ...level({ grid: 'tf_detect/sub', scale: 'tf_detect/mul_2', anchors: 'tf_detect/mul_4', cells: 'tf_detect/Reshape/shape_1', rows: 'tf_detect/Reshape_1/shape_1' }, 8),
    ...level({ grid: 'tf_detect/sub_1', scale: 'tf_detect/mul_9', anchors: 'tf_detect/mul_11', cells: 'tf_detect/Reshape_2/shape_1', rows: 'tf_detect/Reshape_3/shape_1' }, 16),
    ...level({ grid: 'tf_detect/sub_2', scale: 'tf_detect/mul_16', anchors: 'tf_detect/mul_18', cells: 'tf_detect/Reshape_4/shape_1', rows: 'tf_detect/Reshape_5/shape_1' }, 32),
  };
}

const valuesOf = (weights: Record<string, tf.Tensor[]>, name: string) => Array.from(weights[PREFIX + name]![0]!.dataSync());

describe('YOLOv5 graph at another input size', () => {
  it('sizes a 16:9 frame at 640 x 384 (640 x 360 letterboxed, rounded up to 32), a portrait one at 384 x 640, a square crop at 320', () => {
    expect(fittedInputSize(1138, 640, { width: 640, height: 640 })).toEqual({ width: 640, height: 384 });
    expect(fittedInputSize(640, 360, { width: 640, height: 640 })).toEqual({ width: 640, height: 384 });
    expect(fittedInputSize(360, 640, { width: 640, height: 640 })).toEqual({ width: 384, height: 640 });
    expect(fittedInputSize(256, 256, { width: 320, height: 320 })).toEqual({ width: 320, height: 320 });
    expect(fittedInputSize(640, 640, { width: 640, height: 640 })).toEqual({ width: 640, height: 640 });
  });

  it('rewrites the head for 64 x 32: two by one cells at stride 32, centres and anchors over the new width and height', () => {
    const weights = headFor64();
    expect(sizeYoloConstants({ weights } as unknown as tf.GraphModel, { width: 64, height: 64 }, { width: 64, height: 32 })).toBe(true);
    expect(valuesOf(weights, 'tf_upsample/resize/size')).toEqual([2, 4]);
    expect(valuesOf(weights, 'tf_upsample_1/resize/size')).toEqual([4, 8]);
    expect(valuesOf(weights, 'tf_detect/sub_2')).toEqual([-0.5, -0.5, 0.5, -0.5]);
    expect(valuesOf(weights, 'tf_detect/mul_16')).toEqual([0.5, 1]);
    expect(valuesOf(weights, 'tf_detect/Reshape_4/shape_1')).toEqual([-1, 2, 3, 85]);
    expect(valuesOf(weights, 'tf_detect/Reshape_5/shape_1')).toEqual([-1, 6, 85]);
    // The stride-8 level: 8 x 4 cells; its first anchor, 10 x 13 pixels, is 10/64 wide and 13/32 high.
    expect(valuesOf(weights, 'tf_detect/Reshape/shape_1')).toEqual([-1, 32, 3, 85]);
    expect(valuesOf(weights, 'tf_detect/sub').slice(14, 18)).toEqual([7 - 0.5, 0 - 0.5, 0 - 0.5, 1 - 0.5]);
    const anchors = valuesOf(weights, 'tf_detect/mul_4');
    expect(anchors[0]).toBeCloseTo(10 / 64, 6);
    expect(anchors[1]).toBeCloseTo(13 / 32, 6);
  });

  it('changes nothing when a constant is not what the exported size implies, or the new size is not a multiple of 32', () => {
    const weights = headFor64();
    weights[`${PREFIX}tf_detect/mul_9`] = [tf.tensor([[0.3, 0.3]])];
    expect(sizeYoloConstants({ weights } as unknown as tf.GraphModel, { width: 64, height: 64 }, { width: 64, height: 32 })).toBe(false);
    expect(valuesOf(weights, 'tf_upsample/resize/size')).toEqual([4, 4]);
    expect(sizeYoloConstants({ weights: headFor64() } as unknown as tf.GraphModel, { width: 64, height: 64 }, { width: 64, height: 40 })).toBe(false);
  });

  it('sets the input placeholder and the signature to the new size, and refuses a graph without one image input', () => {
    const dims = () => [{ size: '1' }, { size: '640' }, { size: '640' }, { size: '3' }].map((dim) => ({ ...dim }));
    const modelJson = { modelTopology: { node: [{ name: 'input_1', op: 'Placeholder', attr: { shape: { shape: { dim: dims() } } } }] }, signature: { inputs: { input_1: { tensorShape: { dim: dims() } } } } };
    const resized = withInputSize(modelJson, { width: 640, height: 384 })!;
    expect(resized.modelTopology.node[0]!.attr.shape.shape.dim.map((dim) => dim.size)).toEqual(['1', '384', '640', '3']);
    expect(resized.signature.inputs.input_1.tensorShape.dim.map((dim) => dim.size)).toEqual(['1', '384', '640', '3']);
    expect(modelJson.modelTopology.node[0]!.attr.shape.shape.dim[1]!.size).toBe('640');
    expect(withInputSize({ modelTopology: { node: [] } }, { width: 640, height: 384 })).toBeUndefined();
  });
});
