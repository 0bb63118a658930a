import { Router, type RequestHandler, type Response } from 'express';
import type { RouteDocs } from '../docs/route-docs';
import { allowOnly } from '../middleware/allow-only.middleware';
import { describeFailure, NotReadyError, type CheckFailure, type HealthProbes } from './health-probes';

/** The seed's budget for one health check. */
export const HEALTH_CHECK_TIMEOUT_MS = 10_000;

export interface HealthRouterOptions {
  /** Budget of one probe; the seed's 10 s by default. */
  timeoutMs?: number;
  /** Serve GET /health/details, with each check's reason (broker addresses, error names). */
  details?: boolean;
}

class ProbeTimeoutError extends Error {}

/**
 * The seed's health handler on `/` and `/eventbus`, liveness (nothing is broken beyond recovery:
 * 503 asks for a restart, which a broker outage never needs) and readiness
 * (everything needed to serve traffic). They say what is down, never why: reasons name brokers,
 * addresses and errors, which unauthenticated callers need not learn. `/details` says why, when
 * enabled (`service.healthDetails`), for an operator behind whatever guards it.
 */
export function createHealthRouter(probes: HealthProbes, options: HealthRouterOptions = {}): Router {
  const timeoutMs = options.timeoutMs ?? HEALTH_CHECK_TIMEOUT_MS;
  const router = Router();
  const onlyGet = allowOnly('GET');

  const eventBusHealth: RequestHandler = async (_req, res) => {
    const failure = await probeFailure((signal) => probes.eventBus(signal), timeoutMs);
    if (failure === undefined) {
      reply(res, 200, { status: 'healthy' });
    } else {
      const error = failure instanceof ProbeTimeoutError ? failure.message : 'the event bus is unavailable';
      reply(res, 503, { status: 'unhealthy', error });
    }
  };
  router.route('/').get(eventBusHealth).all(onlyGet);
  router.route('/eventbus').get(eventBusHealth).all(onlyGet);

  router
    .route('/live')
    .get((_req, res) => {
      const failures = probes.liveness();
      if (failures.length === 0) reply(res, 200, { status: 'alive' });
      else reply(res, 503, { status: 'dead', error: `cannot recover: ${checkNames(failures)}` });
    })
    .all(onlyGet);

  router
    .route('/ready')
    .get(async (_req, res) => {
      const failure = await probeFailure((signal) => probes.readiness(signal), timeoutMs);
      if (failure === undefined) {
        reply(res, 200, { status: 'ready' });
      } else {
        reply(res, 503, { status: 'not_ready', error: publicReadinessError(failure) });
      }
    })
    .all(onlyGet);

  if (options.details) {
    router
      .route('/details')
      .get(async (_req, res) => {
        const [eventBus, readiness] = await Promise.all([
          probeFailure((signal) => probes.eventBus(signal), timeoutMs),
          probeFailure((signal) => probes.readiness(signal), timeoutMs),
        ]);
        const checks =
          readiness instanceof NotReadyError
            ? Object.fromEntries(readiness.failures.map(({ check, reason }) => [check, reason]))
            : {};
        reply(res, readiness === undefined ? 200 : 503, {
          status: readiness === undefined ? 'ready' : 'not_ready',
          eventbus: eventBus === undefined ? 'ok' : describeFailure(eventBus),
          unrecoverable: Object.fromEntries(probes.liveness().map(({ check, reason }) => [check, reason])),
          ...(readiness && !(readiness instanceof NotReadyError) && { error: describeFailure(readiness) }),
          failing: checks,
        });
      })
      .all(onlyGet);
  }

  return router;
}

/** The names of the checks that failed, without their reasons. */
function publicReadinessError(failure: Error): string {
  if (failure instanceof NotReadyError) return `not ready: ${checkNames(failure.failures)}`;
  return failure instanceof ProbeTimeoutError ? failure.message : 'not ready';
}

function checkNames(failures: readonly CheckFailure[]): string {
  return failures.map(({ check }) => check).join(', ');
}

function reply(res: Response, status: number, body: Record<string, unknown>): void {
  // A cached health answer is a wrong one.
  res
    .status(status)
    .set('Cache-Control', 'no-store')
    .json({ ...body, timestamp: new Date().toISOString() });
}

/** Undefined when the probe resolved in time, otherwise why it did not (as an Error). */
async function probeFailure(
  probe: (signal: AbortSignal) => Promise<void>,
  timeoutMs: number,
): Promise<Error | undefined> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new ProbeTimeoutError(`health check timed out after ${timeoutMs} ms`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    // The async wrapper turns a probe that throws synchronously into a rejection.
    await Promise.race([(async () => probe(controller.signal))(), timedOut]);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(describeFailure(error));
  } finally {
    clearTimeout(timer);
  }
}

const HEALTH_REPLY = {
  type: 'object',
  required: ['status', 'timestamp'],
  properties: {
    status: { type: 'string' },
    error: { type: 'string', description: 'What is down (never why: see /health/details)' },
    timestamp: { type: 'string', format: 'date-time' },
  },
};
const probe = (summary: string, up: string, down: string) => ({
  get: {
    summary,
    responses: {
      200: { description: up, schema: HEALTH_REPLY },
      503: { description: down, schema: HEALTH_REPLY },
    },
  },
});

export const HEALTH_ROUTE_DOCS: RouteDocs = {
  '/': probe('The event bus can publish and consume (the seed handler)', 'healthy', 'unhealthy'),
  '/eventbus': probe("The same, at the seed's second path", 'healthy', 'unhealthy'),
  '/live': probe('Liveness: 503 only for what a restart mends', 'alive', 'dead'),
  '/ready': probe(
    'Readiness: bus, database, consumers, health messages, not shutting down',
    'ready',
    'not ready',
  ),
};
