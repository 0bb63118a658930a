import { ConfigError } from './config-error';
import { crossFieldIssues } from './cross-field-rules';
import { defaultKafkaSection, defaultNatsSection, getDefaultMemoryConfig } from './defaults';
import type { EventBusConfig, EventBusType } from './event-bus.config';
import { EVENT_BUS_TYPES, EventBusConfigSchema } from './event-bus-config.schema';
import { deepMerge, isMapping, type Mapping } from './merge';
import { toPlain, validateSchema } from './validate-schema';

/**
 * The YAML-shaped `eventbus` section (durations as `30s` or ms) laid over the defaults, converted
 * and validated. Every problem is collected into one ConfigError whose keys start with `keyPrefix`.
 */
export function parseEventBusConfig(raw: unknown, keyPrefix = 'eventbus'): EventBusConfig {
  const section = raw ?? {};
  if (!isMapping(section)) {
    throw new ConfigError([{ key: keyPrefix, message: `must be a mapping, got ${JSON.stringify(raw)}` }]);
  }
  return check(deepMerge(defaultsFor(section), section), keyPrefix);
}

/** Checks a config built in code (e.g. passed to `createEventBus`) by the same rules as the YAML. */
export function validateEventBusConfig(config: EventBusConfig, keyPrefix = 'eventbus'): EventBusConfig {
  if (!isMapping(config)) throw new ConfigError([{ key: keyPrefix, message: 'must be an object' }]);
  return check(config, keyPrefix);
}

/** Backend sections get defaults when they are the selected type or present in the input. */
function defaultsFor(section: Mapping): Mapping {
  const type: unknown = section.type ?? 'memory';
  const base: Mapping = { ...getDefaultMemoryConfig(), type };
  if (type === 'kafka' || isMapping(section.kafka)) base.kafka = defaultKafkaSection([]);
  if (type === 'nats' || isMapping(section.nats)) base.nats = defaultNatsSection([]);
  return base;
}

function check(plain: object, keyPrefix: string): EventBusConfig {
  const { value, issues } = validateSchema(EventBusConfigSchema, plain, keyPrefix);
  issues.push(...crossFieldIssues(value, keyPrefix));
  if (issues.length > 0) throw new ConfigError(issues);
  return toPlain<EventBusConfig>(value);
}

export function isEventBusType(value: unknown): value is EventBusType {
  return EVENT_BUS_TYPES.includes(value as EventBusType);
}
