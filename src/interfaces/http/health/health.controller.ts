import { Router, type RequestHandler, type Response } from 'express';
import { allowOnly } from '../middleware/allow-only.middleware';
import { describeFailure, type HealthProbes } from './health-probes';

/** The seed's budget for one health check. */
export const HEALTH_CHECK_TIMEOUT_MS = 10_000;

/**
 * The seed's health handler on `/` and `/eventbus`, plus liveness (the process answers) and
 * readiness (everything needed to serve traffic).
 */
export function createHealthRouter(probes: HealthProbes, timeoutMs = HEALTH_CHECK_TIMEOUT_MS): Router {
  const router = Router();

  const eventBusHealth: RequestHandler = async (_req, res) => {
    const failure = await probeFailure((signal) => probes.eventBus(signal), timeoutMs);
    if (failure === undefined) {
      reply(res, 200, { status: 'healthy' });
    } else {
      reply(res, 503, { status: 'unhealthy', error: failure });
    }
  };
  const onlyGet = allowOnly('GET');
  router.route('/').get(eventBusHealth).all(onlyGet);
  router.route('/eventbus').get(eventBusHealth).all(onlyGet);

  router
    .route('/live')
    .get((_req, res) => {
      reply(res, 200, { status: 'alive' });
    })
    .all(onlyGet);

  router
    .route('/ready')
    .get(async (_req, res) => {
      const failure = await probeFailure((signal) => probes.readiness(signal), timeoutMs);
      if (failure === undefined) {
        reply(res, 200, { status: 'ready' });
      } else {
        reply(res, 503, { status: 'not_ready', error: failure });
      }
    })
    .all(onlyGet);

  return router;
}

function reply(res: Response, status: number, body: Record<string, string>): void {
  // A cached health answer is a wrong one.
  res
    .status(status)
    .set('Cache-Control', 'no-store')
    .json({ ...body, timestamp: new Date().toISOString() });
}

/** Undefined when the probe resolved in time, otherwise why it did not. */
async function probeFailure(
  probe: (signal: AbortSignal) => Promise<void>,
  timeoutMs: number,
): Promise<string | undefined> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`health check timed out after ${timeoutMs} ms`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    // The async wrapper turns a probe that throws synchronously into a rejection.
    await Promise.race([(async () => probe(controller.signal))(), timedOut]);
    return undefined;
  } catch (error) {
    return describeFailure(error);
  } finally {
    clearTimeout(timer);
  }
}
