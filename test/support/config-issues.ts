import { resolve } from 'node:path';
import { ConfigError, type ConfigIssue } from '../../src/infrastructure/eventbus/config/config-error';

/** The issues of the ConfigError `run` throws; fails the test if it throws nothing or something else. */
export function issuesOf(run: () => unknown): ConfigIssue[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

/** Absolute path of a file in the repository's config/ folder. */
export const repoConfig = (name: string): string => resolve(__dirname, '../../config', name);
