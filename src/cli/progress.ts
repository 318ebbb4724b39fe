/** A one-line progress bar on stderr (only when stderr is a terminal): frames, frames/s, ETA. */
import type { AnalysisProgress } from '../pipeline.js';

export interface ProgressRates {
  framesPerSecond: number;
  /** Infinity until a frame is done. */
  etaSeconds: number;
}

export function progressRates(progress: AnalysisProgress, elapsedMs: number): ProgressRates {
  const framesPerSecond = progress.framesDone / Math.max(0.001, elapsedMs / 1000);
  return { framesPerSecond, etaSeconds: (progress.framesTotal - progress.framesDone) / framesPerSecond };
}

const formatSeconds = (seconds: number): string =>
  !Number.isFinite(seconds) ? '--' : seconds >= 60 ? `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s` : `${Math.round(seconds)}s`;

export function progressLine(progress: AnalysisProgress, elapsedMs: number, width = 24): string {
  const fraction = Math.min(1, progress.framesDone / Math.max(1, progress.framesTotal));
  const filled = Math.round(fraction * width);
  const { framesPerSecond, etaSeconds } = progressRates(progress, elapsedMs);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${progress.framesDone}/${progress.framesTotal} frames  ${framesPerSecond.toFixed(1)} frames/s  ETA ${formatSeconds(etaSeconds)}`;
}

export interface ProgressBar {
  /** `elapsedMs` defaults to the time since the bar was created. */
  update(progress: AnalysisProgress, elapsedMs?: number): void;
  done(): void;
}

export function createProgressBar(stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  const started = Date.now();
  let lastDraw = 0;
  let drawn = false;
  return {
    update(progress, elapsedMs) {
      const now = Date.now();
      if (!stream.isTTY || (now - lastDraw < 100 && progress.framesDone < progress.framesTotal)) return;
      lastDraw = now;
      drawn = true;
      stream.write(`\r${progressLine(progress, elapsedMs ?? now - started)}\u001b[K`);
    },
    done() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}
