/** How a failed command ends: one line naming the Rekognition error, and the exit code. */

/** The shell's code for a run stopped by SIGINT (128 + 2). */
export const EXIT_INTERRUPTED = 130;
export const EXIT_FAILED = 1;

/** One line, naming the Rekognition error when there is one. */
export const describeFailure = (error: unknown): string => {
  const { name, message } = error instanceof Error ? error : new Error(String(error));
  const firstLine = message.split('\n')[0] ?? '';
  return name && name !== 'Error' && !firstLine.startsWith(name) ? `${name}: ${firstLine}` : firstLine;
};

/** A run that fails after Ctrl-C failed because of it, whatever error the interruption surfaced as. */
export const exitCodeFor = (signal: AbortSignal): number => (signal.aborted ? EXIT_INTERRUPTED : EXIT_FAILED);
