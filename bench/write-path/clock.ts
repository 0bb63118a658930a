/**
 * Milliseconds on the process-wide monotonic clock. Unlike performance.now(), whose origin is per
 * thread, it reads the same in the load worker and in the service, so their timestamps subtract.
 */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
