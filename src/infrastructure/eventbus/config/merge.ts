export type Mapping = Record<string, unknown>;

export function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `override` laid over `base`: mappings merge key by key, anything else replaces. A null or missing
 * value keeps the default (YAML `key:` with nothing after it); keys unknown to `base` are kept so
 * that validation can report them.
 */
export function deepMerge(base: Mapping, override: Mapping): Mapping {
  const out: Mapping = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = out[key];
    if ((value === null || value === undefined) && key in base) continue;
    out[key] = isMapping(current) && isMapping(value) ? deepMerge(current, value) : value;
  }
  return out;
}
