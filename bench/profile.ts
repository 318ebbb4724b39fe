/**
 * Where a worker's time goes: a CPU profile (V8 sampling profiler, node:inspector) of the detector
 * doing exactly what one pool worker does — the default model and tiling on decoded frames of
 * bottle-detection.mp4 — run on this thread so that the profiler sees it. Prints self time by kind
 * (model kernels in WebAssembly, TensorFlow.js JavaScript, our code, GC, waiting) and the top
 * functions, and writes bench/results/profile-<date>.json (summary) and .cpuprofile (open in Chrome
 * DevTools or speedscope). Run from the project root: `npm run bench:profile`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/detect/backend.js';
import { loadModelManifest } from '../src/detect/manifest.js';
import { loadDetector } from '../src/detect/models.js';
import { analysisFrameSize, analysisViews } from '../src/detect/views.js';
import { probeVideo, sampleFrames } from '../src/frames/index.js';
import { environmentSettings } from '../src/config.js';
import { DEFAULT_TILING } from '../src/detect/views.js';
import type { SampledFrame } from '../src/types.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const video = join(root, 'media', 'bottle-detection.mp4');
const resultsDirectory = join(root, 'bench', 'results');
const FRAMES = 16;
const WARM_UP = 2;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** What kind of work a profile node is, from where its code lives. */
function kindOf({ functionName, url }: ProfileNode['callFrame']): string {
  if (functionName === '(idle)') return 'waiting (idle)';
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)') return 'V8 / native (program)';
  if (url.startsWith('wasm://')) return 'model kernels (WebAssembly)';
  if (url.includes('@tensorflow')) return 'TensorFlow.js (JavaScript)';
  if (url.includes('/src/')) return 'our code';
  if (url.startsWith('node:') || url === '') return 'Node.js internals';
  return 'other dependencies';
}

function summarise(profile: CpuProfile) {
  const selfMicros = new Map<number, number>();
  profile.samples.forEach((node, index) => selfMicros.set(node, (selfMicros.get(node) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const total = [...selfMicros.values()].reduce((sum, value) => sum + value, 0);
  const parentOf = new Map<number, ProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node);
  /** WebAssembly functions have no names: the TensorFlow.js kernel that called one names the work. */
  const kernelOf = (node: ProfileNode): string => {
    for (let at: ProfileNode | undefined = node; at; at = parentOf.get(at.id)) {
      const { functionName, url } = at.callFrame;
      // `ccall` is Emscripten's generic trampoline: the kernel is further up.
      if (url.includes('tf-backend-wasm') && functionName && functionName !== 'ccall' && !url.startsWith('wasm://')) return functionName;
    }
    return '(no kernel)';
  };
  const byKind = new Map<string, number>();
  const byKernel = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const micros = selfMicros.get(node.id) ?? 0;
    if (micros === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const kind = kindOf(node.callFrame);
    byKind.set(kind, (byKind.get(kind) ?? 0) + micros);
    if (url.startsWith('wasm://')) byKernel.set(kernelOf(node), (byKernel.get(kernelOf(node)) ?? 0) + micros);
    const where = `${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
    const name = `${functionName || '(anonymous)'} ${where}`;
    if (!url.startsWith('wasm://')) byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  }
  const share = (entries: Map<string, number>, limit: number) =>
    [...entries].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([name, micros]) => ({ name, ms: micros / 1000, percent: (100 * micros) / total }));
  return { totalMs: total / 1000, byKind: share(byKind, 20), wasmByKernel: share(byKernel, 12), topFunctions: share(byFunction, 12) };
}

async function main(): Promise<void> {
  const manifest = loadModelManifest('centernet');
  const tiling = environmentSettings().tiling ?? DEFAULT_TILING;
  const probed = await probeVideo(video);
  const { width, height } = analysisFrameSize(probed.metadata.FrameWidth, probed.metadata.FrameHeight, manifest.input, tiling);
  const views = analysisViews(width, height, tiling);
  const backend = await selectBackend();
  const detector = await loadDetector(manifest);

  const frames: SampledFrame[] = [];
  for await (const frame of sampleFrames(video, { fps: 2, width, height })) {
    frames.push({ ...frame, pixels: Uint8Array.from(frame.pixels) });
    if (frames.length === FRAMES + WARM_UP) break;
  }
  for (const frame of frames.slice(0, WARM_UP)) await detector.detect(frame.pixels, width, height, views);

  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 1000 });
  await session.post('Profiler.start');
  const startedAt = performance.now();
  for (const frame of frames.slice(WARM_UP)) await detector.detect(frame.pixels, width, height, views);
  const wallMs = performance.now() - startedAt;
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
  session.disconnect();

  const summary = summarise(profile);
  const heading = {
    date: new Date().toISOString(),
    machine: `${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} CPUs`,
    node: process.version,
    backend: `${backend.backend} (${backend.provider})${backend.backend === 'wasm' ? `, SIMD ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT')}, threads ${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')}` : ''}`,
    model: `${manifest.name} (${manifest.labelModelVersion})`,
    tiling,
    frame: `${width}x${height}, ${views.length} view(s) per frame`,
    frames: FRAMES,
    msPerFrame: wallMs / FRAMES,
  };
  console.log(Object.entries(heading).map(([key, value]) => `${key}: ${typeof value === 'number' ? value.toFixed(1) : value}`).join('\n'));
  console.log(`\nself time by kind (${summary.totalMs.toFixed(0)} ms sampled over ${FRAMES} frames)`);
  for (const { name, ms, percent } of summary.byKind) console.log(`  ${name.padEnd(32)}${ms.toFixed(0).padStart(8)} ms ${percent.toFixed(1).padStart(6)} %`);
  console.log('\nWebAssembly time by the TensorFlow.js kernel that ran it');
  for (const { name, percent } of summary.wasmByKernel) console.log(`  ${percent.toFixed(1).padStart(5)} %  ${name}`);
  console.log('\ntop JavaScript functions (self time)');
  for (const { name, percent } of summary.topFunctions) console.log(`  ${percent.toFixed(1).padStart(5)} %  ${name}`);

  await mkdir(resultsDirectory, { recursive: true });
  const stem = join(resultsDirectory, `profile-${heading.date.replace(/[:.]/g, '-').slice(0, 19)}`);
  await writeFile(`${stem}.json`, `${JSON.stringify({ ...heading, ...summary }, null, 2)}\n`);
  await writeFile(`${stem}.cpuprofile`, JSON.stringify(profile));
  console.log(`\nwritten ${stem}.json and .cpuprofile`);
}

await main();
