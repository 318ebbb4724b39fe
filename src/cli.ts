#!/usr/bin/env node
/** The `edge-label-detection` command: subcommands, one-line errors, clean stop on Ctrl-C. */
import { runDetectCommand } from './cli/detect-command.js';
import type { CommandContext } from './cli/context.js';
import { describeFailure, EXIT_INTERRUPTED, exitCodeFor } from './cli/failure.js';
import { runDoctorCommand } from './cli/doctor-command.js';
import { runReportCommand } from './cli/report-command.js';
import { runServeCommand } from './cli/serve-command.js';
import { runStatusCommand } from './cli/status-command.js';
import { runWorkerCommand } from './cli/worker-command.js';

const usage = `Usage: edge-label-detection <command> [options]

Commands:
  detect <video>               detect labels in a local video; prints a GetLabelDetection response
  serve                        answer StartLabelDetection / GetLabelDetection over HTTP, as Rekognition
  report <result.json|JobId>   write an HTML page: label timeline, frames with boxes, metadata
  doctor                       check the backend, GPU, ffmpeg and models; say how to fix what is missing
  worker --queue redis://H:P   analyse jobs from a shared queue (scale-out, with serve --queue)
  status --queue redis://H:P   queue depth and per-worker frames/s of a shared queue

Run "edge-label-detection <command> --help" for a command's options.
`;

const commands: Record<string, (argv: string[], context: CommandContext) => Promise<number>> = {
  detect: runDetectCommand,
  serve: runServeCommand,
  report: runReportCommand,
  doctor: runDoctorCommand,
  worker: runWorkerCommand,
  status: runStatusCommand,
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
  // Listening with `on`, not `once`: execa's exit hook re-raises a signal that has no listener
  // left, which would kill the process before ffmpeg and the workers are stopped.
  const stop = () => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    return await run(rest, { stdout: process.stdout, stderr: process.stderr, signal: controller.signal });
  } catch (error) {
    const exitCode = exitCodeFor(controller.signal);
    process.stderr.write(exitCode === EXIT_INTERRUPTED ? '\nedge-label-detection: interrupted\n' : `edge-label-detection: ${describeFailure(error)}\n`);
    return exitCode;
  }
}

process.exitCode = await main(process.argv.slice(2));
// The command has ended. A library's leftover timer (a Redis client's watchdog, a socket's close
// timeout) must not keep a stopped worker or server alive: a container runtime kills it a few
// seconds after its one SIGTERM. Unref'd, so a process with nothing left exits at once, as usual.
setTimeout(() => process.exit(), 500).unref();
