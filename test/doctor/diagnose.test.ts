import { describe, expect, it } from 'vitest';
import { diagnose, formatDiagnosis } from '../../src/doctor/diagnose.js';
import type { DoctorFacts } from '../../src/doctor/facts.js';
import { libraryPathsFromLdconfig, parseHwaccels } from '../../src/doctor/inspect.js';

const wasm = { backend: 'wasm', provider: '@tensorflow/tfjs-backend-wasm', reason: '@tensorflow/tfjs-node-gpu is not installed; @tensorflow/tfjs-node is not installed' } as const;

/** A CPU-only machine with everything needed for the default model. */
const healthyFacts = (): DoctorFacts => ({
  node: 'v20.0.0',
  platform: 'linux-x64',
  installedTfjsPackages: [{ name: '@tensorflow/tfjs-backend-wasm', version: '4.22.0' }],
  backend: { choice: wasm },
  cudaLibraries: [
    { name: 'libcudart', paths: [] },
    { name: 'libcudnn', paths: [] },
  ],
  nvidiaSmi: { problem: 'nvidia-smi is not installed' },
  webgpu: { packageVersion: '0.6.2', vulkanLoader: [], vulkanDrivers: [], gpuDeviceVisible: false, problem: 'no WebGPU adapter' },
  binaries: [
    { name: 'ffmpeg', resolved: { path: '/pkg/ffmpeg', source: '@ffmpeg-installer' }, version: 'ffmpeg version 4', hwaccels: ['vaapi'] },
    { name: 'ffprobe', resolved: { path: '/pkg/ffprobe', source: '@ffprobe-installer' }, version: 'ffprobe version 4' },
  ],
  models: [
    { name: 'centernet', requested: true, weights: { modelJsonPath: '/pkg/centernet.json', from: 'npm package @vladmandic/human@3' }, load: { ok: true, backend: wasm, milliseconds: 1500 } },
    { name: 'coco-ssd', requested: false, weightsProblem: 'model coco-ssd: its weights are not shipped' },
  ],
});

const checkOf = (facts: DoctorFacts, area: string) => diagnose(facts).checks.find((check) => check.area === area);

describe('diagnose', () => {
  it('calls a CPU-only machine with the default model usable, suggesting the faster native backend', () => {
    const diagnosis = diagnose(healthyFacts());
    expect(diagnosis.usable).toBe(true);
    expect(checkOf(healthyFacts(), 'backend')).toMatchObject({ status: 'warn', fix: 'npm install @tensorflow/tfjs-node@4.22.0' });
    expect(checkOf(healthyFacts(), 'gpu')?.status).toBe('info');
    expect(checkOf(healthyFacts(), 'model coco-ssd')?.status).toBe('info');
  });

  it('says what WebGPU has: no driver (and the fix), a software adapter (forced only), a GPU', () => {
    expect(checkOf(healthyFacts(), 'webgpu')).toMatchObject({ status: 'info', summary: 'no WebGPU adapter', fix: expect.stringMatching(/libvulkan1.*bookworm-backports mesa-vulkan-drivers/) });
    const lavapipe = { vendor: 'mesa', architecture: 'software', device: 'llvmpipe', description: 'llvmpipe: Mesa 25.0.7', software: true };
    const software = { ...healthyFacts(), webgpu: { ...healthyFacts().webgpu, vulkanLoader: ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1'], adapter: lavapipe, problem: undefined } };
    expect(checkOf(software, 'webgpu')?.summary).toMatch(/only a software WebGPU adapter: used only when forced/);
    const h200 = { ...healthyFacts(), webgpu: { ...software.webgpu, gpuDeviceVisible: true, adapter: { vendor: 'nvidia', architecture: 'hopper', device: 'NVIDIA H200', description: 'NVIDIA H200', software: false } } };
    expect(checkOf(h200, 'webgpu')).toMatchObject({ status: 'ok', summary: 'a hardware WebGPU adapter: NVIDIA H200' });
    expect(diagnose(h200).usable).toBe(true);
  });

  it('fails an FFMPEG_PATH that points at nothing, with the command that fixes it', () => {
    const facts = healthyFacts();
    facts.binaries[0] = { name: 'ffmpeg', resolved: { path: '/nope/ffmpeg', source: 'environment' }, problem: 'no file at /nope/ffmpeg' };
    const diagnosis = diagnose(facts);
    expect(diagnosis.usable).toBe(false);
    expect(checkOf(facts, 'ffmpeg')).toMatchObject({ status: 'fail', fix: expect.stringMatching(/^unset FFMPEG_PATH/) });
  });

  it('fails a requested model without weights, pointing at --model-path', () => {
    const facts = healthyFacts();
    facts.models = [{ name: 'coco-ssd', requested: true, weightsProblem: 'model coco-ssd: its weights are not shipped' }];
    const diagnosis = diagnose(facts);
    expect(diagnosis.usable).toBe(false);
    expect(checkOf(facts, 'model coco-ssd')?.fix).toMatch(/--model coco-ssd --model-path /);
  });

  it('names the npm install that brings back a packaged model', () => {
    const facts = healthyFacts();
    facts.models = [{ name: 'centernet', requested: true, weightsProblem: 'model centernet: its weights come from the npm package @vladmandic/human, which is not installed (npm install @vladmandic/human)' }];
    expect(checkOf(facts, 'model centernet')).toMatchObject({ status: 'fail', fix: 'npm install @vladmandic/human' });
  });

  it('suggests tfjs-node-gpu when a GPU is visible but unused', () => {
    const facts = healthyFacts();
    facts.nvidiaSmi = { output: 'NVIDIA A10G, 535.104, 23028 MiB' };
    facts.cudaLibraries = [
      { name: 'libcudart', paths: ['/usr/lib/libcudart.so.11.0'] },
      { name: 'libcudnn', paths: ['/usr/lib/libcudnn.so.8'] },
    ];
    expect(checkOf(facts, 'gpu')).toMatchObject({ status: 'warn', fix: 'npm install @tensorflow/tfjs-node-gpu@4.22.0' });
  });

  it('is fine on the GPU build', () => {
    const facts = healthyFacts();
    facts.backend = { choice: { backend: 'tensorflow', provider: '@tensorflow/tfjs-node-gpu', reason: 'CUDA build of TensorFlow installed' } };
    expect(checkOf(facts, 'gpu')?.status).toBe('ok');
    expect(checkOf(facts, 'backend')?.status).toBe('ok');
  });

  it('prints one tagged line per check and the verdict', () => {
    const facts = healthyFacts();
    const text = formatDiagnosis(facts, diagnose(facts));
    expect(text).toMatch(/^\[ok\] {3}ffmpeg +\/pkg\/ffmpeg \(from @ffmpeg-installer\)$/m);
    expect(text).toMatch(/Ready: centernet runs on wasm\.\n$/);
  });
});

describe('parsing tool output', () => {
  it('finds CUDA libraries in `ldconfig -p` output', () => {
    const output = '\t1234 libs found in cache\n\tlibcudart.so.11.0 (libc6,x86-64) => /usr/local/cuda/lib64/libcudart.so.11.0\n\tlibcudnn.so.8 (libc6,x86-64) => /usr/lib/libcudnn.so.8\n\tlibc.so.6 (libc6,x86-64) => /lib/libc.so.6\n';
    expect(libraryPathsFromLdconfig(output, 'libcudart')).toEqual(['/usr/local/cuda/lib64/libcudart.so.11.0']);
    expect(libraryPathsFromLdconfig(output, 'libcudnn')).toEqual(['/usr/lib/libcudnn.so.8']);
  });

  it('lists `ffmpeg -hwaccels` methods without the heading', () => {
    expect(parseHwaccels('Hardware acceleration methods:\nvdpau\nvaapi\n\n')).toEqual(['vdpau', 'vaapi']);
  });
});
