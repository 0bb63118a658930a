import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { ConfigError } from '../eventbus';
import { isMapping, type Mapping } from '../eventbus';

/** The YAML file as plain data; an unreadable, malformed or non-mapping file is a ConfigError naming it. */
export function readConfigFile(file: string, origin: string): Mapping {
  const fail = (message: string): never => {
    throw new ConfigError([{ key: file, message: `${message} (${origin})` }]);
  };
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    fail(`cannot read config file: ${(error as Error).message}`);
  }
  let content: unknown;
  try {
    const document = parseDocument(text, { uniqueKeys: true });
    const [firstError] = document.errors;
    if (firstError) fail(`invalid YAML: ${firstError.message}`);
    // The alias bound stops a "billion laughs" file, which yaml reports by throwing.
    content = document.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    fail(`invalid YAML: ${(error as Error).message}`);
  }
  if (!isMapping(content)) fail('the top level must be a mapping with service and eventbus');
  const forbidden = findForbiddenKey(content);
  if (forbidden) fail(`key "${forbidden}" is not allowed: it would rewrite an object prototype`);
  return content as Mapping;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The dotted path of the first key that could pollute a prototype when the config is merged. */
function findForbiddenKey(value: unknown, path = ''): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const key of Object.keys(value)) {
    const here = path ? `${path}.${key}` : key;
    if (FORBIDDEN_KEYS.has(key)) return here;
    const found = findForbiddenKey((value as Record<string, unknown>)[key], here);
    if (found) return found;
  }
  return undefined;
}
