export { createDetectorPool, defaultWorkerCount, type DetectorPool, type DetectorPoolOptions } from './pool.js';
export { AVAILABLE_MODELS, DEFAULT_MODEL, loadModelManifest, calibrateScore, type ModelManifest, type ModelName } from './manifest.js';
export { findGpuAdapter, gpuDeviceVisible, selectBackend, toBackendName, BACKENDS, type BackendChoice, type BackendName, type GpuAdapterInfo } from './backend.js';
