import { ConfigError } from '../../../../../src/infrastructure/eventbus/config/config-error';
import {
  formatDuration,
  parseDuration,
  tryParseDuration,
} from '../../../../../src/infrastructure/eventbus/config/duration';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['1h2m3s4ms', 3_723_004],
    ['1.5s', 1_500],
    ['0', 0],
    ['0s', 0],
    [250, 250],
    [0, 0],
    [1.6, 2],
  ])('parses %p as %p ms', (input, expected) => {
    expect(parseDuration(input, 'eventbus.retry.maxBackoff')).toBe(expected);
  });

  it.each(['', '500', '10 s', ' 5s', '-5s', '5x', '5d', 's', '1.s', 'abc', '5m-1s', '5S'])(
    'rejects %p',
    (input) => {
      expect(() => parseDuration(input, 'k')).toThrow(ConfigError);
    },
  );

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects the number %p', (input) => {
    expect(() => parseDuration(input, 'k')).toThrow(ConfigError);
  });

  it('names the key and the bad value in the error', () => {
    let caught: unknown;
    try {
      parseDuration('5x', 'eventbus.kafka.producer.timeout');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const { issues, message } = caught as ConfigError;
    expect(issues).toHaveLength(1);
    expect(issues[0]!.key).toBe('eventbus.kafka.producer.timeout');
    expect(message).toMatch(/^eventbus\.kafka\.producer\.timeout: must be a duration .*got "5x"$/);
  });
});

describe('tryParseDuration', () => {
  it('returns undefined instead of throwing for non-durations', () => {
    expect(tryParseDuration(true)).toBeUndefined();
    expect(tryParseDuration(null)).toBeUndefined();
    expect(tryParseDuration({})).toBeUndefined();
    expect(tryParseDuration('7s')).toBe(7_000);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [30_000, '30s'],
    [90_000, '1m30s'],
    [3_723_004, '1h2m3s4ms'],
  ])('formats %p as %p', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text, 'k')).toBe(ms);
  });
});
