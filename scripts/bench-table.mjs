#!/usr/bin/env node
// Prints the Kafka and NATS throughput rows of a results file (`npm run bench` writes
// bench/results/latest.json) as the Markdown table of docs/benchmarks.md, and the latency and
// memory figures of the same run below it, so the page's table is one run's, regenerated, not edited.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'bench/results/latest.json';
const { rows } = JSON.parse(readFileSync(file, 'utf8'));

const whole = (value) => Math.round(value).toLocaleString('en-US');
const times = (value) => `${value.toFixed(2)}x`;
const range = (row) => (row.range ? ` (${whole(row.range.min)}-${whole(row.range.max)})` : '');

/** The bench's wording, shortened for a table: request shapes as `500 x 4`, thousands grouped. */
function short(text) {
  return text
    .replace(/(\d+) msg\/request x (\d+) in flight/g, '$1 x $2')
    .replace(/same requests as ours \(([^)]*)\)/, '$1 as ours')
    .replace(/\b\d{4,}\b/g, (digits) => whole(Number(digits)))
    .replace(/^@nats-io\/jetstream /, '')
    .replace(' PubAcks outstanding', ' outstanding')
    .replace(/, (ack|commit) per (message|batch|fetch)/, '')
    .replace(/ publishes outstanding/, ' outstanding')
    .replace(/ \(([^)]*)\)$/, ', $1')
    .replace(/^same, /, '')
    .replace(/ \(.*$/, '');
}

const scenarios = [
  [/^publish, acked/, 'publish, acked'],
  [/^consume -> handled, committed/, 'consume, committed'],
  [/^publish, PubAck awaited/, 'publish, PubAck'],
  [/^consume \+ ack/, 'consume + ack'],
];
const backends = ['kafka', 'nats'];
const scenarioOf = (row) => scenarios.find(([pattern]) => pattern.test(row.scenario))?.[1];

const table = [
  ['backend', 'scenario', 'measured', 'result, msg/s', 'ratio to baseline', 'vs limit'],
  ...rows
    .filter((row) => row.unit === 'msg/s' && scenarioOf(row))
    .sort((a, b) => backends.indexOf(a.backend) - backends.indexOf(b.backend))
    .map((row) => [
      row.backend,
      scenarioOf(row),
      short(row.subject),
      `${whole(row.ours)}${range(row)}`,
      row.raw && row.baseline
        ? `${times(row.ours / row.raw)} of ${short(row.baseline).replace(/, envelope header$/, '')}`
        : '',
      row.limit ? times(row.ours / row.limit.value) : '',
    ]),
];
const widths = table[0].map((_, column) => Math.max(...table.map((cells) => cells[column].length)));
const line = (cells) => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
console.log(
  [line(table[0]), line(widths.map((width) => '-'.repeat(width))), ...table.slice(1).map(line)].join('\n'),
);

console.log();
for (const row of rows.filter((row) => row.unit === 'ms' || row.unit === 'µs')) {
  const inMs = row.unit === 'µs' ? 1 / 1000 : 1;
  const ms = (value) => (value * inMs).toFixed(2);
  const spread = row.range ? ` (${ms(row.range.min)}-${ms(row.range.max)})` : '';
  console.log(
    `${row.backend} ${row.subject ?? 'ours'} ${/p99/.test(row.scenario) ? 'p99' : 'p50'}: ${ms(row.ours)} ms${spread}, baseline ${ms(row.raw)} ms`,
  );
}
for (const row of rows.filter((row) => row.backend === 'memory'))
  console.log(
    `memory: ${whole(row.ours)} msg/s, ${times(row.ours / row.raw)} of ${row.baseline} (${whole(row.raw)})`,
  );
