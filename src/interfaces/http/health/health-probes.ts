/**
 * What the health routes ask. Each probe resolves when healthy and rejects with the reason when not;
 * `signal` aborts when the route's time budget runs out.
 */
export interface HealthProbes {
  /** The seed's check: the bus can currently publish and consume (EventBus.healthCheck). */
  eventBus(signal?: AbortSignal): Promise<void>;
  /** Everything needed to serve traffic; the rejection names each part that is not ready. */
  readiness(signal?: AbortSignal): Promise<void>;
  /**
   * What cannot recover by itself, so that the process needs a restart; empty while everything can
   * (a broker outage is not such a thing). Answers from memory: no I/O, no waiting.
   */
  liveness(): CheckFailure[];
}

export type ReadinessCheck = (signal?: AbortSignal) => Promise<void>;

export interface CheckFailure {
  readonly check: string;
  readonly reason: string;
}

/** A readiness failure: each check that failed, with its reason (for the details route and logs). */
export class NotReadyError extends Error {
  constructor(readonly failures: readonly CheckFailure[]) {
    super(`not ready: ${failures.map(({ check, reason }) => `${check}: ${reason}`).join('; ')}`);
    this.name = 'NotReadyError';
  }
}

export interface HealthProbeSources {
  /** An EventBus satisfies this. */
  eventBus: {
    healthCheck(options?: { signal?: AbortSignal }): Promise<void>;
    unrecoverableReason(): string | undefined;
  };
  /**
   * Further conditions for readiness by name, e.g. `subscriberHealth: () => checker.check()` or a
   * check that every consumer is running. The bus itself is always checked, as `eventbus`.
   */
  readiness?: Record<string, ReadinessCheck>;
}

/** HealthProbes over the bus and named readiness checks; readiness runs them all and reports every failure. */
export function createHealthProbes({ eventBus, readiness = {} }: HealthProbeSources): HealthProbes {
  const eventBusProbe: ReadinessCheck = (signal) => eventBus.healthCheck(signal ? { signal } : {});
  const checks = Object.entries({ eventbus: eventBusProbe, ...readiness });

  return {
    eventBus: eventBusProbe,
    async readiness(signal) {
      const results = await Promise.allSettled(checks.map(async ([, check]) => check(signal)));
      const failures = results.flatMap((result, index) =>
        result.status === 'rejected'
          ? [{ check: checks[index]![0], reason: describeFailure(result.reason) }]
          : [],
      );
      if (failures.length > 0) throw new NotReadyError(failures);
    },
    liveness() {
      const reason = eventBus.unrecoverableReason();
      return reason === undefined ? [] : [{ check: 'eventbus', reason }];
    },
  };
}

export function describeFailure(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
