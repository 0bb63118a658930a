import type { EventBusLogger } from '../../../src/infrastructure/eventbus';

type Level = keyof EventBusLogger;

/** Keeps log lines in memory so tests can assert that a failure was reported, without printing. */
export class RecordingEventBusLogger implements EventBusLogger {
  readonly lines: { level: Level; details: object; message: string }[] = [];

  debug(details: object, message: string): void {
    this.lines.push({ level: 'debug', details, message });
  }

  info(details: object, message: string): void {
    this.lines.push({ level: 'info', details, message });
  }

  warn(details: object, message: string): void {
    this.lines.push({ level: 'warn', details, message });
  }

  error(details: object, message: string): void {
    this.lines.push({ level: 'error', details, message });
  }

  messages(level: Level): string[] {
    return this.lines.filter((line) => line.level === level).map((line) => line.message);
  }
}
