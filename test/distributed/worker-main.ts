/**
 * `edge-label-detection worker` as its own process for tests and the bench: the same command
 * function, with SIGTERM and SIGINT stopping it as src/cli.ts does.
 */
import { runWorkerCommand } from '../../src/cli/worker-command.js';

const controller = new AbortController();
const stop = () => controller.abort(new Error('interrupted'));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.exitCode = await runWorkerCommand(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal: controller.signal });
