import { ConfigError } from '../eventbus';
import { deepMerge, isMapping, type Mapping } from '../eventbus';
import { parseEventBusConfig } from '../eventbus';
import { toPlain, validateSchema } from '../eventbus';
import { getDefaultServiceConfig, type AppConfig } from './app.config';
import { AppConfigFileSchema } from './app-config.schema';
import {
  getDefaultDatabaseConfig,
  getDefaultInboxConfig,
  getDefaultOutboxConfig,
} from './persistence.config';

type ServiceSections = Omit<AppConfig, 'eventbus'>;

const DEFAULTS: { [K in keyof ServiceSections]: () => ServiceSections[K] } = {
  service: getDefaultServiceConfig,
  database: getDefaultDatabaseConfig,
  outbox: getDefaultOutboxConfig,
  inbox: getDefaultInboxConfig,
};

/**
 * Validates the YAML content over the defaults. `earlier` (e.g. env problems) is reported together
 * with what is found here, so one start-up shows every problem.
 */
export function parseAppConfig(raw: Mapping, earlier: ConfigError['issues'] = []): AppConfig {
  const issues = [...earlier];
  const withDefaults: Mapping = { ...raw };
  for (const [section, defaults] of Object.entries(DEFAULTS)) {
    const value = raw[section];
    // A section that is not a mapping is left as it is, for validation to report.
    withDefaults[section] = isMapping(value) ? deepMerge({ ...defaults() }, value) : (value ?? defaults());
  }
  const top = validateSchema(AppConfigFileSchema, withDefaults, '');
  issues.push(...top.issues);

  let eventbus: AppConfig['eventbus'] | undefined;
  try {
    eventbus = parseEventBusConfig(raw.eventbus, 'eventbus');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    issues.push(...error.issues);
  }

  const sections = toPlain<ServiceSections>(top.value);
  const { publishTimeout, leaseDuration } = sections.outbox ?? {};
  if (
    typeof publishTimeout === 'number' &&
    typeof leaseDuration === 'number' &&
    publishTimeout >= leaseDuration
  ) {
    // A lease that runs out while its publish is still going lets a second relay publish the same row.
    issues.push({ key: 'outbox.publishTimeout', message: 'must be shorter than outbox.leaseDuration' });
  }
  if (issues.length > 0 || eventbus === undefined) throw new ConfigError(issues);
  return { ...sections, eventbus };
}
