import { execFile, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPTS = resolve(__dirname, '../../../scripts/kafka');

/** A JVM run is bounded: start (~1 s), connect, the work, exit. */
const JAVA_TIMEOUT = 30_000;

/**
 * Kafka's own console consumer and producer (Java, org.apache.kafka:kafka-tools), to check what the
 * bus writes and reads against a client that is not ours. Messages travel as lines of text.
 */
export class KafkaConsoleClients {
  private constructor(private readonly libs: string) {}

  /** The jars come from scripts/kafka/fetch-jars.sh (start.sh has fetched them already in CI). */
  static async fetch(): Promise<KafkaConsoleClients> {
    const { stdout } = await run('bash', [resolve(SCRIPTS, 'fetch-jars.sh'), 'tools'], { timeout: 180_000 });
    return new KafkaConsoleClients(stdout.trim());
  }

  /** The values of the first `count` messages of `topic`, read from the beginning. */
  async consume(bootstrap: string, topic: string, count: number): Promise<string[]> {
    const stdout = await this.java('org.apache.kafka.tools.consumer.ConsoleConsumer', [
      ...['--bootstrap-server', bootstrap, '--topic', topic, '--from-beginning'],
      ...['--max-messages', String(count), '--timeout-ms', '15000'],
    ]);
    return stdout.split('\n').slice(0, count);
  }

  /** Writes one message per line, in batches compressed with `compression`. */
  async produce(bootstrap: string, topic: string, lines: string[], compression: string): Promise<void> {
    await this.java(
      'org.apache.kafka.tools.ConsoleProducer',
      ['--bootstrap-server', bootstrap, '--topic', topic, '--compression-codec', compression],
      `${lines.join('\n')}\n`,
    );
  }

  private java(mainClass: string, args: string[], input = ''): Promise<string> {
    const jvm = ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];
    const logging = `-Dlog4j2.configurationFile=${resolve(SCRIPTS, 'tools/log4j2.properties')}`;
    const child = spawn('java', [...jvm, logging, '-cp', `${this.libs}/*`, mainClass, ...args], {
      timeout: JAVA_TIMEOUT,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stdin.end(input);
    return new Promise((done, fail) => {
      child.on('error', fail);
      child.on('close', (code, signal) => {
        if (code === 0) return done(Buffer.concat(stdout).toString('utf8'));
        const why = signal ? `was killed (${signal}, limit ${JAVA_TIMEOUT} ms)` : `exited with ${code}`;
        fail(new Error(`${mainClass} ${why}: ${Buffer.concat(stderr).toString('utf8').slice(-2000)}`));
      });
    });
  }
}
