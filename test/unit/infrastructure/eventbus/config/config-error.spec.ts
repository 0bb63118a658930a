import { ConfigError } from '../../../../../src/infrastructure/eventbus/config/config-error';

describe('ConfigError', () => {
  it('lists every issue on its own line, each starting with its key', () => {
    const error = new ConfigError([
      { key: 'eventbus.type', message: 'must be one of memory, kafka, nats, got "x"' },
      { key: 'PORT', message: 'must be an integer 1..65535, got "abc"' },
    ]);

    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ConfigError');
    expect(error.message.split('\n')).toEqual([
      'eventbus.type: must be one of memory, kafka, nats, got "x"',
      'PORT: must be an integer 1..65535, got "abc"',
    ]);
    expect(error.issues.map((issue) => issue.key)).toEqual(['eventbus.type', 'PORT']);
  });
});
