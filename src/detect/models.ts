/** Loading a model inside a worker and running it on one frame: `load()` plus `detect()`. */
import * as tf from '@tensorflow/tfjs';
import type { Detection } from '../types.js';
import { decodeCenterNet, decodeSsd } from './decode.js';
import { classNamesFor, type ModelManifest } from './manifest.js';
import { locateModelJson, readGraphModelFiles } from './weights.js';

export interface LoadedDetector {
  manifest: ModelManifest;
  detect(pixels: Uint8Array, width: number, height: number): Promise<Detection[]>;
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

function frameTensor(manifest: ModelManifest, pixels: Uint8Array, width: number, height: number): tf.Tensor {
  return tf.tidy(() => {
    const image = tf.tensor4d(pixels, [1, height, width, 3], 'int32');
    return manifest.input.dtype === 'float32' ? image.toFloat() : image;
  });
}

export async function loadDetector(manifest: ModelManifest, modelPath?: string): Promise<LoadedDetector> {
  const model = await loadGraphModel(manifest, modelPath);
  const context = { ...manifest, classNames: classNamesFor(manifest) };
  if (manifest.name === 'centernet') {
    return {
      manifest,
      async detect(pixels, width, height) {
        const input = frameTensor(manifest, pixels, width, height);
        const output = model.execute(input, 'tower_0/detections') as tf.Tensor;
        try {
          return decodeCenterNet(await output.data(), width, height, context);
        } finally {
          tf.dispose([input, output]);
        }
      },
    };
  }
  return {
    manifest,
    async detect(pixels, width, height) {
      const input = frameTensor(manifest, pixels, width, height);
      const outputs = (await model.executeAsync(input)) as tf.Tensor[];
      try {
        const scores = outputs.find((tensor) => tensor.rank === 3);
        const boxes = outputs.find((tensor) => tensor.rank === 4);
        if (!scores || !boxes) throw new Error(`${manifest.name}: unexpected outputs ${outputs.map((t) => t.shape.join('x')).join(', ')}`);
        return decodeSsd(await scores.data(), await boxes.data(), scores.shape[2] as number, context);
      } finally {
        tf.dispose([input, ...outputs]);
      }
    },
  };
}
