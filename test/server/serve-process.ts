/**
 * `edge-label-detection serve` as its own process, started the way src/cli.ts starts a command
 * (signals abort the context), so tests can stop it with SIGTERM or kill it with SIGKILL.
 */
import { runServeCommand } from '../../src/cli/serve-command.js';

const controller = new AbortController();
const stop = () => controller.abort(new Error('interrupted'));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
process.exitCode = await runServeCommand(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
});
