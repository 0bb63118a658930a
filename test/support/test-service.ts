import pino from 'pino';
import { type AppConfig } from '../../src/infrastructure/config/app.config';
import { loadAppConfig } from '../../src/infrastructure/config/load-app-config';
import { createService, type Service } from '../../src/infrastructure/di/service';

/**
 * The real service, wired by the real container, on the backend of `file` (env overrides apply, as
 * in production). Health checks run often and retries are fast so tests observe them quickly.
 */
export async function startTestService(
  file = 'config/default.yaml',
  adjust: (config: AppConfig) => void = () => undefined,
): Promise<Service> {
  const config = loadAppConfig({ file });
  config.eventbus.healthCheck.interval = 200;
  config.eventbus.healthCheck.maxMessageAge = 5_000;
  config.eventbus.retry = { maxAttempts: 3, initialBackoff: 5, maxBackoff: 20, multiplier: 2 };
  adjust(config);
  const service = await createService(config, { logger: pino({ level: 'silent' }) });
  await service.start();
  return service;
}
