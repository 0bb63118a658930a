import { resolve } from 'node:path';
import type { AppConfig } from './app.config';
import { applyEnvOverrides } from './env-overrides';
import { parseAppConfig } from './parse-app-config';
import { readConfigFile } from './read-config-file';

export const DEFAULT_CONFIG_FILE = 'config/default.yaml';

/**
 * Reads the YAML file (`options.file`, else `CONFIG_FILE`, else config/default.yaml, relative to the
 * working directory), applies the env overrides and validates everything. Throws one ConfigError
 * naming every bad key, env variable or file.
 */
export function loadAppConfig(options: { env?: NodeJS.ProcessEnv; file?: string } = {}): AppConfig {
  const env = options.env ?? process.env;
  const fromEnv = env.CONFIG_FILE?.trim() || undefined;
  const chosen = options.file ?? fromEnv ?? DEFAULT_CONFIG_FILE;
  const origin =
    options.file !== undefined ? 'file option' : fromEnv !== undefined ? 'CONFIG_FILE' : 'default';
  const raw = readConfigFile(resolve(process.cwd(), chosen), origin);
  const { config, issues } = applyEnvOverrides(raw, env);
  return parseAppConfig(config, issues);
}
