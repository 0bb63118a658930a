import { type ScenarioReport } from './outage-scenario';

/** Longest answer to POST /users allowed at any time, broker up or down. */
export const FAIL_FAST_MS = 2_000;

/**
 * What every outage scenario must show: each request answered 201 (or 503 with Retry-After) within
 * FAIL_FAST_MS, every user answered 201 with exactly one welcome notification, nothing dead in the
 * outbox, liveness never failing (an outage needs no restart), readiness noticing each fault and
 * back within `readyWithinMs` of the broker.
 */
export function expectResilient(report: ScenarioReport, readyWithinMs: number): void {
  const unexpected = report.requests.filter(
    (result) => !(result.status === 201 || (result.status === 503 && result.retryAfter !== undefined)),
  );
  expect(unexpected).toEqual([]);
  const slow = report.requests.filter((result) => result.ms > FAIL_FAST_MS);
  expect(slow).toEqual([]);

  const registered = report.requests.flatMap((result) => (result.id === undefined ? [] : [result.id]));
  const lost = registered.filter((id) => !report.notificationsPerUser.has(id));
  const duplicated = registered.filter((id) => (report.notificationsPerUser.get(id) ?? 0) > 1);
  expect({ lost: lost.length, duplicated, unnotifiedEvents: report.unnotifiedEvents }).toEqual({
    lost: 0,
    duplicated: [],
    unnotifiedEvents: [],
  });
  expect(report.deadOutboxRows).toBe(0);

  expect(report.livenessFailed).toBe(false);
  const unnoticed = report.faults.filter((fault) => fault.notReadyAfterMs === undefined);
  expect(unnoticed).toEqual([]);
  const lateRecoveries = report.faults.filter((fault) => fault.readyAfterRecoveryMs > readyWithinMs);
  expect(lateRecoveries).toEqual([]);
}

/** The figures, for the log of the run. */
export function describeReport(backend: string, report: ScenarioReport): string {
  const answered = report.requests.length;
  const created = report.requests.filter((result) => result.status === 201).length;
  const refused = report.requests.filter((result) => result.status === 503).length;
  const slowest = Math.max(...report.requests.map((result) => result.ms));
  const lines = [
    `${backend}: ${answered} requests, ${created} x 201, ${refused} x 503, slowest ${Math.round(slowest)} ms;`,
    ...report.faults.flatMap((fault) => [
      `  ${fault.fault}: not ready after ${fault.notReadyAfterMs === undefined ? 'never' : `${Math.round(fault.notReadyAfterMs)} ms`}, ready again ${Math.round(fault.readyAfterRecoveryMs)} ms after the broker`,
      ...fault.notReadyReasons.map((reason) => `    ${reason}`),
    ]),
  ];
  return lines.join('\n');
}
