/** `edge-label-detection doctor`: is this machine ready, and if not, what to run. */
import { parseCommandLine } from './flags.js';
import type { CommandContext } from './context.js';
import { diagnose, formatDiagnosis } from '../doctor/diagnose.js';
import { inspectMachine } from '../doctor/inspect.js';

export const doctorUsage = `Usage: edge-label-detection doctor [options]

Checks which TensorFlow.js backend will run and why, whether a GPU is visible, which ffmpeg and
ffprobe are used, and which models are available offline; prints the command that fixes each
missing piece. Exits 0 when the requested model can run, 1 when it cannot.

Options:
  --model <name>          the model to check (default centernet)
  --model-path <dir|url>  its weights, for models that do not ship them (yolov5s, coco-ssd)
  --json                  print the facts and checks as JSON
`;

export async function runDoctorCommand(argv: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandLine({
    args: argv,
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      'model-path': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || positionals.length > 0) {
    (values.help ? context.stdout : context.stderr).write(doctorUsage);
    return values.help ? 0 : 2;
  }
  const facts = await inspectMachine({ model: values.model, modelPath: values['model-path'] });
  const diagnosis = diagnose(facts);
  context.stdout.write(values.json ? `${JSON.stringify({ usable: diagnosis.usable, checks: diagnosis.checks, facts }, null, 2)}\n` : formatDiagnosis(facts, diagnosis));
  return diagnosis.usable ? 0 : 1;
}
