import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { ConfigError } from '../eventbus/config/config-error';
import { isMapping, type Mapping } from '../eventbus/config/merge';

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
  const document = parseDocument(text, { uniqueKeys: true });
  const [firstError] = document.errors;
  if (firstError) fail(`invalid YAML: ${firstError.message}`);
  const content: unknown = document.toJS() ?? {};
  if (!isMapping(content)) fail('the top level must be a mapping with service and eventbus');
  return content as Mapping;
}
