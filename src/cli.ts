#!/usr/bin/env node
/** The `edge-label-detection` command: subcommands, one-line errors, clean stop on Ctrl-C. */
import { runDetectCommand } from './cli/detect-command.js';
import type { CommandContext } from './cli/context.js';

const usage = `Usage: edge-label-detection <command> [options]

Commands:
  detect <video>   detect labels in a local video; prints a GetLabelDetection response

Run "edge-label-detection <command> --help" for a command's options.
`;

const commands: Record<string, (argv: string[], context: CommandContext) => Promise<number>> = {
  detect: runDetectCommand,
};

/** One line, naming the Rekognition error when there is one. */
export const describeFailure = (error: unknown): string => {
  const { name, message } = error instanceof Error ? error : new Error(String(error));
  const firstLine = message.split('\n')[0] ?? '';
  return name && name !== 'Error' && !firstLine.startsWith(name) ? `${name}: ${firstLine}` : firstLine;
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') {
    process.stdout.write(usage);
    return command ? 0 : 2;
  }
  const run = commands[command];
  if (!run) {
    process.stderr.write(`edge-label-detection: unknown command "${command}"\n${usage}`);
    return 2;
  }
  const controller = new AbortController();
  const stop = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await run(rest, { stdout: process.stdout, stderr: process.stderr, signal: controller.signal });
  } catch (error) {
    if (controller.signal.aborted) {
      process.stderr.write('\nedge-label-detection: interrupted\n');
      return 130;
    }
    process.stderr.write(`edge-label-detection: ${describeFailure(error)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
