/** `worker` processes for tests and the bench, started like a user would and watched through their output. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const workerMain = fileURLToPath(new URL('./worker-main.ts', import.meta.url));
const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  exited: Promise<number | null>;
  signal(signal: NodeJS.Signals): void;
}

/** Resolves once the worker has printed its backend line, i.e. its detector pool is up and it takes jobs. */
export async function startWorkerProcess(args: string[], env: NodeJS.ProcessEnv = {}, readyTimeoutMs = 90_000): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', workerMain, ...args], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const worker: WorkerProcess = {
    child,
    pid: child.pid as number,
    output: () => output,
    exited,
    signal: (signal) => void (child.exitCode === null && child.signalCode === null && child.kill(signal)),
  };
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start in ${readyTimeoutMs} ms:\n${output}`)), readyTimeoutMs);
    const check = () => {
      if (!/^model: /m.test(output)) return;
      clearTimeout(timer);
      resolve();
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code} before it was ready:\n${output}`));
    });
  });
  try {
    await ready;
  } catch (error) {
    worker.signal('SIGKILL');
    throw error;
  }
  return worker;
}

/** Ends a worker however it is doing, for test clean-up. */
export async function killWorkerProcess(worker: WorkerProcess): Promise<void> {
  worker.signal('SIGKILL');
  await worker.exited;
}
