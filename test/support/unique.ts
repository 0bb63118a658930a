let counter = 0;

/** A topic or group name no other test (or earlier run against the same broker) has used. */
export function uniqueName(prefix: string): string {
  counter++;
  return `${prefix}-${Date.now().toString(36)}-${process.pid}-${counter}`;
}
