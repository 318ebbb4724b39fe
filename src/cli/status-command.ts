/** `edge-label-detection status`: the shared queue's depth and its workers' heartbeats. */
import { DEFAULT_QUEUE_NAME, parseQueueUrl } from '../distributed/redis-connection.js';
import { formatQueueStatus, readQueueStatus } from '../distributed/queue-status.js';
import { invalidParameter } from '../errors.js';
import { parseCommandLine } from './flags.js';
import type { CommandContext } from './context.js';

export const statusUsage = `Usage: edge-label-detection status --queue redis://HOST:PORT [options]

Prints the queue's jobs by state (waiting, active, delayed, completed, failed) and every live
worker: backend, detector threads, concurrency, running jobs, jobs done, frames analysed and
frames/s over the last seconds.

Options:
  --queue <redis://HOST:PORT>  the Redis holding the queue (required)
  --queue-name <name>          queue within that Redis (default ${DEFAULT_QUEUE_NAME})
  --json                       print the status as one JSON object
`;

export async function runStatusCommand(argv: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandLine({
    args: argv,
    allowPositionals: true,
    options: {
      queue: { type: 'string' },
      'queue-name': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    context.stdout.write(statusUsage);
    return 0;
  }
  if (positionals.length > 0) throw invalidParameter(`status: unexpected argument "${positionals[0]}" (see --help)`);
  if (values.queue === undefined) throw invalidParameter('--queue: required, e.g. --queue redis://127.0.0.1:6379');
  const status = await readQueueStatus({ url: parseQueueUrl(values.queue), queueName: values['queue-name'] });
  context.stdout.write(values.json ? `${JSON.stringify(status, null, 2)}\n` : `${formatQueueStatus(status).join('\n')}\n`);
  return 0;
}
