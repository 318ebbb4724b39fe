// Reads the CLI's --json-logs events of one `detect` run on stdin; prints one line: backend, adapter, first run, frames/s, labels.
let text = '';
process.stdin.on('data', (chunk) => (text += chunk)).on('end', () => {
  const events = text.trim() ? text.trim().split(/(?<=\}) (?=\{)/).map((event) => JSON.parse(event)) : [];
  const backend = events.find((event) => event.event === 'backend');
  const done = events.find((event) => event.event === 'done');
  const error = events.find((event) => event.event === 'error');
  if (error) return console.log(`error: ${error.message}`);
  if (!done) return console.log('timed out');
  const adapter = backend?.adapter ? ` on ${backend.adapter.description}${backend.adapter.software ? ' (software)' : ''}` : '';
  const firstRun = backend?.firstRunMs ? `, first run ${backend.firstRunMs} ms` : '';
  console.log(`${backend?.backend}${adapter}${firstRun}${backend?.viewsBatched ? ', views batched' : ''}: ${done.frames} frames in ${done.seconds} s = ${done.framesPerSecond} frames/s, ${done.labels} label(s)`);
});
