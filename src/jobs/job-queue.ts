import type { JobRecord } from './job-record.js';

/**
 * Where a stored IN_PROGRESS job goes to be analysed. The client's default runs it in this process;
 * another implementation hands it to workers elsewhere, which then record its end in the shared store.
 */
export interface JobDispatcher {
  /** Jobs waiting or running, counted against maxOpenJobs. */
  openJobs(): Promise<number>;
  dispatch(job: JobRecord): Promise<void>;
  /** Stops taking jobs; jobs this process runs end FAILED with `reason`. */
  close(reason: Error): Promise<void>;
}

/** Runs job tasks in the background, a bounded number at a time. */
export type JobTask = (signal: AbortSignal) => Promise<void>;

export interface JobQueue {
  /** Tasks waiting or running. */
  readonly openTasks: number;
  enqueue(task: JobTask): void;
  /**
   * Aborts running tasks, then runs every waiting task with an already aborted signal (so each
   * gets to record its own end), and resolves once all have settled.
   */
  close(reason: Error): Promise<void>;
}

export interface InProcessJobQueueOptions {
  /** Tasks running at once. One analysis already keeps every core busy, hence 1. */
  concurrency?: number;
  /** Called with whatever a task rejects with; tasks are expected to handle their own failures. */
  onTaskError: (error: unknown) => void;
}

export class InProcessJobQueue implements JobQueue {
  readonly #concurrency: number;
  readonly #onTaskError: (error: unknown) => void;
  readonly #waiting: JobTask[] = [];
  readonly #running = new Set<Promise<void>>();
  readonly #controller = new AbortController();

  constructor(options: InProcessJobQueueOptions) {
    this.#concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(this.#concurrency) || this.#concurrency < 1) {
      throw new RangeError(`concurrency must be an integer >= 1, got ${options.concurrency}`);
    }
    this.#onTaskError = options.onTaskError;
  }

  get openTasks(): number {
    return this.#waiting.length + this.#running.size;
  }

  enqueue(task: JobTask): void {
    this.#waiting.push(task);
    this.#startWaitingTasks();
  }

  async close(reason: Error): Promise<void> {
    this.#controller.abort(reason);
    while (this.#waiting.length > 0 || this.#running.size > 0) {
      this.#startWaitingTasks();
      await Promise.all(this.#running);
    }
  }

  #startWaitingTasks(): void {
    const limit = this.#controller.signal.aborted ? Number.POSITIVE_INFINITY : this.#concurrency;
    while (this.#running.size < limit) {
      const task = this.#waiting.shift();
      if (!task) return;
      const signal = this.#controller.signal;
      const running: Promise<void> = (async () => task(signal))()
        .catch(this.#onTaskError)
        .finally(() => {
          this.#running.delete(running);
          this.#startWaitingTasks();
        });
      this.#running.add(running);
    }
  }
}
