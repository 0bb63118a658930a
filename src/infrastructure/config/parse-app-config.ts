import { ConfigError } from '../eventbus/config/config-error';
import { deepMerge, isMapping, type Mapping } from '../eventbus/config/merge';
import { parseEventBusConfig } from '../eventbus/config/validate-event-bus-config';
import { toPlain, validateSchema } from '../eventbus/config/validate-schema';
import { getDefaultServiceConfig, type AppConfig, type ServiceConfig } from './app.config';
import { AppConfigFileSchema } from './app-config.schema';

/**
 * Validates the `{ service, eventbus }` content over the defaults. `earlier` (e.g. env problems)
 * is reported together with what is found here, so one start-up shows every problem.
 */
export function parseAppConfig(raw: Mapping, earlier: ConfigError['issues'] = []): AppConfig {
  const issues = [...earlier];
  const service = isMapping(raw.service)
    ? deepMerge({ ...getDefaultServiceConfig() }, raw.service)
    : raw.service;
  const top = validateSchema(
    AppConfigFileSchema,
    { ...raw, service: service ?? getDefaultServiceConfig() },
    '',
  );
  issues.push(...top.issues);

  let eventbus: AppConfig['eventbus'] | undefined;
  try {
    eventbus = parseEventBusConfig(raw.eventbus, 'eventbus');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    issues.push(...error.issues);
  }

  if (issues.length > 0 || eventbus === undefined) throw new ConfigError(issues);
  return { service: toPlain<ServiceConfig>(top.value.service!), eventbus };
}
