export interface CommandContext {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
  /** Aborted on Ctrl-C / SIGTERM so that ffmpeg and workers stop cleanly. */
  signal: AbortSignal;
}
