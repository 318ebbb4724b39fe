/**
 * The model-only GPU check: CenterNet on every backend that starts here (WebGPU, wasm), on
 * pre-decoded 512x512 frames, with no ffmpeg and nothing but tfjs, Dawn and the model. It prints
 * (and writes as JSON) per backend: the adapter, the first run (shader compilation), frames/s at
 * batch sizes 1, 4 and 16, and how well each backend's detections agree with wasm's.
 *
 * Runs from the repository (npm run bench:gpu) and, bundled, from the offline pack that
 * bench/gpu/pack.sh makes for a GPU box with no registry and no Node.js.
 *
 *   node check.mjs --model <dir with centernet.json> --frames <frames.rgb> [--out result.json] [--wasm-dir <dir>]
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { freeBatchConstants, withFreeBatch } from '../../src/detect/batched-graph.js';
import { findGpuAdapter, startWebGpuBackend } from '../../src/detect/webgpu-adapter.js';

const { values } = parseArgs({ options: { model: { type: 'string' }, frames: { type: 'string' }, out: { type: 'string' }, 'wasm-dir': { type: 'string' }, runs: { type: 'string', default: '8' } } });
if (!values.model || !values.frames) throw new Error('usage: check --model <dir> --frames <frames.rgb> [--out file] [--wasm-dir dir]');
const SIZE = 512;
const RUNS = Number(values.runs);
const MIN_SCORE = 0.15;

interface Row {
  box: [number, number, number, number];
  score: number;
  classIndex: number;
}

type ModelJson = { modelTopology: unknown; weightsManifest: Array<{ paths: string[]; weights: unknown[] }>; format?: string };

function readModel(batched: boolean): tf.io.ModelArtifacts {
  const file = join(values.model!, 'centernet.json');
  const original = JSON.parse(readFileSync(file, 'utf8')) as ModelJson;
  // The product's own rewrite (src/detect/batched-graph.ts): a free batch, a per-image gather.
  const json = batched ? withFreeBatch(original) : original;
  if (!json) throw new Error(`${file}: not the CenterNet graph the batch rewrite expects`);
  const shards = Buffer.concat(json.weightsManifest.flatMap((group) => group.paths).map((path) => readFileSync(join(dirname(file), path))));
  return {
    modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
    weightSpecs: json.weightsManifest.flatMap((group) => group.weights) as tf.io.WeightsManifestEntry[],
    weightData: shards.buffer.slice(shards.byteOffset, shards.byteOffset + shards.byteLength) as ArrayBuffer,
    ...(json.format ? { format: json.format } : {}),
  };
}

/** The batched graph also needs its post-processing constants made per image (80 COCO classes). */
function unfixBatch(model: tf.GraphModel): tf.GraphModel {
  if (!freeBatchConstants(model, 80)) throw new Error('centernet: post-processing constants are not the ones the batch rewrite expects');
  return model;
}

function readFrames(): Float32Array[] {
  const bytes = readFileSync(values.frames!);
  const frameBytes = SIZE * SIZE * 3;
  return Array.from({ length: Math.floor(bytes.length / frameBytes) }, (_, index) => Float32Array.from(bytes.subarray(index * frameBytes, (index + 1) * frameBytes)));
}

async function run(model: tf.GraphModel, frames: Float32Array[]): Promise<Row[][]> {
  const input = tf.tensor4d(concat(frames), [frames.length, SIZE, SIZE, 3], 'float32');
  const output = model.execute(input, 'tower_0/detections') as tf.Tensor;
  const data = await output.data();
  tf.dispose([input, output]);
  return frames.map((_, image) => {
    const rows: Row[] = [];
    for (let offset = image * 600; offset < (image + 1) * 600; offset += 6) {
      if (data[offset + 4]! >= MIN_SCORE) rows.push({ box: [data[offset]!, data[offset + 1]!, data[offset + 2]!, data[offset + 3]!], score: data[offset + 4]!, classIndex: Math.round(data[offset + 5]!) });
    }
    return rows;
  });
}

const concat = (frames: Float32Array[]) => {
  const all = new Float32Array(frames.length * SIZE * SIZE * 3);
  frames.forEach((frame, index) => all.set(frame, index * frame.length));
  return all;
};

const iou = (a: Row['box'], b: Row['box']) => {
  const width = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const height = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = width * height;
  return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
};

/** Of `reference`'s detections, the fraction another backend found with box IoU >= 0.9 and score within 0.02. */
function agreement(reference: Row[][], other: Row[][]): { matched: number; total: number } {
  let matched = 0;
  let total = 0;
  reference.forEach((rows, image) => {
    const unpaired = [...other[image]!];
    for (const row of rows) {
      total += 1;
      const partner = unpaired.findIndex((candidate) => candidate.classIndex === row.classIndex && iou(candidate.box, row.box) >= 0.9 && Math.abs(candidate.score - row.score) <= 0.02);
      if (partner >= 0) {
        matched += 1;
        unpaired.splice(partner, 1);
      }
    }
  });
  return { matched, total };
}

/** The product's own WebGPU start (src/detect/webgpu-adapter.ts): the adapter, its limits, tfjs on it. */
async function startWebGpu(): Promise<Record<string, unknown>> {
  const found = await findGpuAdapter();
  if (!found.adapter) throw new Error(found.problem ?? 'no WebGPU adapter');
  const problem = await startWebGpuBackend(found.gpu, found.adapter.description || found.adapter.device);
  if (problem) throw new Error(problem);
  return { ...found.adapter, maxBufferSize: found.limits?.maxBufferSize, maxStorageBufferBindingSize: found.limits?.maxStorageBufferBindingSize };
}

async function startWasm(): Promise<Record<string, unknown>> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(`${values['wasm-dir'] ?? dirname(new URL(import.meta.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')).pathname)}/`);
  if (!(await tf.setBackend('wasm'))) throw new Error('wasm did not initialise');
  return {};
}

async function measure(name: string, start: () => Promise<Record<string, unknown>>, frames: Float32Array[]) {
  let adapter: Record<string, unknown>;
  try {
    adapter = await start();
  } catch (error) {
    return { backend: name, problem: (error as Error).message.split('\n')[0] };
  }
  const single = await tf.loadGraphModel(tf.io.fromMemory(readModel(false)));
  const started = performance.now();
  const detections = await run(single, frames.slice(0, 1));
  const firstRunMs = performance.now() - started;
  const all = [detections[0]!, ...(await Promise.all(frames.slice(1).map(async (frame) => (await run(single, [frame]))[0]!)))];
  const batches: Array<{ batch: number; framesPerSecond?: number; problem?: string }> = [];
  const batched = unfixBatch(await tf.loadGraphModel(tf.io.fromMemory(readModel(true))));
  // A software adapter runs ~3 s a view: two timed runs a batch keep the check inside its 8 minutes.
  const runs = adapter.software === true ? Math.min(RUNS, 2) : RUNS;
  const bindingLimit = typeof adapter.maxStorageBufferBindingSize === 'number' ? adapter.maxStorageBufferBindingSize : Infinity;
  for (const batch of [1, 4, 16]) {
    const group = Array.from({ length: batch }, (_, index) => frames[index % frames.length]!);
    if (batch * LARGEST_TENSOR_BYTES_PER_IMAGE > bindingLimit) {
      batches.push({ batch, problem: `needs a ${(batch * LARGEST_TENSOR_BYTES_PER_IMAGE) / 2 ** 20} MiB storage binding, the adapter allows ${bindingLimit / 2 ** 20} MiB` });
      continue;
    }
    try {
      await gpuErrorsRaised(() => run(batch === 1 ? single : batched, group));
      const began = performance.now();
      for (let repeat = 0; repeat < runs; repeat += 1) await run(batch === 1 ? single : batched, group);
      batches.push({ batch, framesPerSecond: (runs * batch) / ((performance.now() - began) / 1000) });
    } catch (error) {
      batches.push({ batch, problem: (error as Error).message.split('\n')[0] });
    }
  }
  single.dispose();
  batched.dispose();
  return { backend: name, adapter, firstRunMs, batches, detections: all };
}

/**
 * CenterNet-512's largest intermediate tensor per image (256x256x64 float32, 16 MiB): a batch whose
 * tensor exceeds the adapter's maxStorageBufferBindingSize fails validation (measured on lavapipe,
 * 128 MiB: batch 16 asked for a 256 MiB binding) and would time garbage.
 */
const LARGEST_TENSOR_BYTES_PER_IMAGE = 256 * 256 * 64 * 4;

interface ErrorScopedDevice {
  pushErrorScope(filter: 'validation' | 'out-of-memory'): void;
  popErrorScope(): Promise<{ message: string } | null>;
}

/** Runs `work` and throws what WebGPU validation or memory errors it raised (they do not throw on their own). */
async function gpuErrorsRaised<T>(work: () => Promise<T>): Promise<T> {
  const device = tf.getBackend() === 'webgpu' ? (tf.backend() as unknown as { device?: ErrorScopedDevice }).device : undefined;
  if (!device) return work();
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  const result = await work();
  const validation = await device.popErrorScope();
  const outOfMemory = await device.popErrorScope();
  const raised = validation ?? outOfMemory;
  if (raised) throw new Error(`WebGPU: ${raised.message}`);
  return result;
}

const frames = readFrames();
console.log(`machine: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} CPUs, node ${process.version}; ${frames.length} frames of ${SIZE}x${SIZE}; ${RUNS} timed runs per batch`);
const wasm = await measure('wasm', startWasm, frames);
const webgpu = await measure('webgpu', startWebGpu, frames);
const results = [wasm, webgpu].map((result) => {
  const { detections, ...rest } = result as typeof result & { detections?: Row[][] };
  return { ...rest, ...(detections && 'detections' in wasm ? { agreementWithWasm: agreement((wasm as { detections: Row[][] }).detections, detections) } : {}) };
});
for (const result of results) console.log(JSON.stringify(result));
if (values.out) writeFileSync(values.out, `${JSON.stringify({ date: new Date().toISOString(), machine: { cpu: cpus()[0]?.model, cpus: cpus().length, node: process.version }, results }, null, 2)}\n`);
