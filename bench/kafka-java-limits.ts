import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Kafka's own performance tools (org.apache.kafka.tools in kafka-tools, the jars of
 * scripts/kafka/fetch-jars.sh tools) as the machine's Kafka limit: what Kafka's Java client gets
 * from this broker on these cores. Each run is a child JVM; its summary line is parsed.
 */

const REPO = join(__dirname, '..');
const TOOLS_LIBS = join(REPO, '.brokers', 'kafka', 'tools-libs');
const LOG4J = join(REPO, 'scripts', 'kafka', 'log4j2.properties');
/** A tool run that takes longer than this has hung (a broker gone away): it is stopped. */
const RUN_TIMEOUT = 180_000;

/**
 * Bytes a Kafka record batch (format v2, no compression) takes for `records` records of `valueBytes`
 * each, no key, no headers: 61 bytes of batch header, and per record about 10 bytes of lengths and
 * deltas around the value. Java's batch.size is in these bytes.
 */
export function recordBatchBytes(records: number, valueBytes: number): number {
  return 61 + records * (valueBytes + 10);
}

/** Whether the tools can run here: undefined if so, else why not (the rows say it). */
export function javaToolsUnavailable(): string | undefined {
  const java = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (java.error || java.status !== 0) return 'java not found (Java 17+ runs Kafka tools)';
  if (!existsSync(TOOLS_LIBS)) {
    const fetched = spawnSync('bash', [join(REPO, 'scripts', 'kafka', 'fetch-jars.sh'), 'tools'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (fetched.status !== 0 || !existsSync(TOOLS_LIBS))
      return 'Kafka tool jars missing (scripts/kafka/fetch-jars.sh tools failed)';
  }
  return undefined;
}

export interface ProducerPerformanceOptions {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly records: number;
  readonly recordBytes: number;
  readonly acks: number;
  readonly batchBytes: number;
}

/** Records/s of one ProducerPerformance run (unthrottled): its final "N records sent, X records/sec" line. */
export async function producerPerformance(options: ProducerPerformanceOptions): Promise<number> {
  const output = await runTool('org.apache.kafka.tools.ProducerPerformance', [
    '--topic',
    options.topic,
    '--num-records',
    String(options.records),
    '--record-size',
    String(options.recordBytes),
    '--throughput',
    '-1',
    '--producer-props',
    `bootstrap.servers=${options.brokers.join(',')}`,
    `acks=${options.acks}`,
    `batch.size=${options.batchBytes}`,
  ]);
  const summaries = [...output.matchAll(/^(\d+) records sent, ([\d.]+) records\/sec/gm)];
  const last = summaries.at(-1);
  if (!last || Number(last[1]) !== options.records)
    throw new Error(`ProducerPerformance printed no summary for ${options.records} records:\n${output}`);
  return Number(last[2]);
}

export interface ConsumerPerformanceOptions {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly messages: number;
  readonly group: string;
}

/**
 * Messages/s of one ConsumerPerformance run reading `messages` from the start of a topic. The
 * fetch rate (fetch.nMsg.sec) leaves out the group join, as the Node consume rows time first to
 * last message.
 */
export async function consumerPerformance(options: ConsumerPerformanceOptions): Promise<number> {
  const output = await runTool('org.apache.kafka.tools.ConsumerPerformance', [
    '--bootstrap-server',
    options.brokers.join(','),
    '--topic',
    options.topic,
    '--messages',
    String(options.messages),
    '--group',
    options.group,
    '--timeout',
    '30000',
  ]);
  // A header line of comma-separated names, then one line of values.
  const lines = output.split('\n').map((line) => line.split(',').map((cell) => cell.trim()));
  const header = lines.findIndex((cells) => cells.includes('fetch.nMsg.sec'));
  const values = lines[header + 1];
  if (header < 0 || !values) throw new Error(`ConsumerPerformance printed no summary:\n${output}`);
  const cell = (name: string): number => Number(values[lines[header]!.indexOf(name)]);
  if (cell('data.consumed.in.nMsg') < options.messages)
    throw new Error(`ConsumerPerformance read ${cell('data.consumed.in.nMsg')} of ${options.messages}`);
  return cell('fetch.nMsg.sec');
}

/** Runs a tool's main class in a child JVM and resolves with its stdout (stderr on failure). */
function runTool(mainClass: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'java',
      ['-Xmx256m', `-Dlog4j2.configurationFile=${LOG4J}`, '-cp', `${TOOLS_LIBS}/*`, mainClass, ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${mainClass} exited with ${code ?? signal}:\n${stderr || stdout}`));
    });
  });
}
