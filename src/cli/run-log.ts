/**
 * What a long `detect` run tells the user on stderr: human lines and a progress bar (text), one
 * JSON object per line for machines (json), or nothing (quiet). stdout stays for the result.
 */
import type { BackendChoice } from '../detect/index.js';
import type { AnalysisProgress } from '../pipeline.js';
import { createProgressBar, progressRates } from './progress.js';

export type RunLogMode = 'text' | 'json' | 'quiet';

export type RunEvent =
  | { event: 'start'; video: string; fps: number | 'all'; model: string; workers: number | null; analysis: string }
  | ({ event: 'backend'; model: string; labelModelVersion: string; workers: number } & BackendChoice)
  | { event: 'progress'; framesDone: number; framesTotal: number; framesPerSecond: number; etaSeconds: number | null }
  | { event: 'annotated'; path: string; boxes: number; labelsDrawn: boolean }
  | { event: 'done'; frames: number; seconds: number; framesPerSecond: number; labels: number }
  | { event: 'error'; name: string; message: string; exitCode: number };

export interface RunLog {
  readonly mode: RunLogMode;
  emit(event: Exclude<RunEvent, { event: 'progress' | 'error' }>): void;
  /** `elapsedMs`: since the analysis began, so that model loading does not count against frames/s. */
  progress(progress: AnalysisProgress, elapsedMs: number): void;
  error(error: unknown, exitCode: number): void;
  /** Ends the progress bar's line, if one is drawn. */
  close(): void;
}

/** JSON progress is throttled: a line per frame would flood the log on `--fps all`. */
const JSON_PROGRESS_INTERVAL_MS = 1000;

export const jsonLogLine = (event: RunEvent, now: Date): string => `${JSON.stringify({ time: now.toISOString(), ...event })}\n`;

const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

export function textLogLine(event: Exclude<RunEvent, { event: 'progress' }>): string | undefined {
  switch (event.event) {
    case 'backend':
      return `backend: ${event.backend} (${event.provider}; ${event.reason})${event.firstRunMs === undefined ? '' : `; first run ${event.firstRunMs} ms (shaders compiled)`}${event.viewsBatched ? '; views batched' : ''}\nmodel: ${event.model} ${event.labelModelVersion}, ${event.workers} worker(s)`;
    case 'annotated':
      return `annotated video: ${event.path} (${event.boxes} boxes${event.labelsDrawn ? '' : '; no font found, so boxes only, without label text'})`;
    case 'done':
      return `analysed ${event.frames} frames in ${event.seconds.toFixed(1)} s (${event.framesPerSecond.toFixed(2)} frames/s)`;
    case 'error':
      // The command line prints the failure itself, once.
      return undefined;
    case 'start':
      return event.analysis;
  }
}

export function createRunLog(mode: RunLogMode, stderr: NodeJS.WriteStream, clock: () => Date = () => new Date()): RunLog {
  if (mode === 'quiet') return { mode, emit() {}, progress() {}, error() {}, close() {} };
  if (mode === 'json') {
    let lastProgressMs = Number.NEGATIVE_INFINITY;
    const write = (event: RunEvent) => stderr.write(jsonLogLine(event, clock()));
    return {
      mode,
      emit: write,
      progress(progress, elapsedMs) {
        const now = clock().getTime();
        if (now - lastProgressMs < JSON_PROGRESS_INTERVAL_MS && progress.framesDone < progress.framesTotal) return;
        lastProgressMs = now;
        const { framesPerSecond, etaSeconds } = progressRates(progress, elapsedMs);
        write({ event: 'progress', ...progress, framesPerSecond: round(framesPerSecond, 3), etaSeconds: Number.isFinite(etaSeconds) ? round(etaSeconds, 1) : null });
      },
      error(error, exitCode) {
        const { name, message } = error instanceof Error ? error : new Error(String(error));
        write({ event: 'error', name, message: message.split('\n')[0] ?? '', exitCode });
      },
      close() {},
    };
  }
  const bar = createProgressBar(stderr);
  return {
    mode,
    emit(event) {
      bar.done();
      const line = textLogLine(event);
      if (line) stderr.write(`${line}\n`);
    },
    progress: (progress, elapsedMs) => bar.update(progress, elapsedMs),
    error() {},
    close: () => bar.done(),
  };
}
