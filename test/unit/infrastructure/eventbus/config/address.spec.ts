import { isBrokerAddress, isNatsUrl } from '../../../../../src/infrastructure/eventbus/config/address';

describe('isBrokerAddress', () => {
  it.each(['127.0.0.1:9092', 'kafka:9092', 'broker-1.example.com:19092', '[::1]:9092', 'kafka_1:9092'])(
    'accepts %p',
    (value) => expect(isBrokerAddress(value)).toBe(true),
  );

  it.each([
    '127.0.0.1',
    'kafka:',
    ':9092',
    'kafka:0',
    'kafka:65536',
    'PLAINTEXT://kafka:9092',
    'a b:1',
    9092,
  ])('rejects %p', (value) => expect(isBrokerAddress(value)).toBe(false));
});

describe('isNatsUrl', () => {
  it.each(['nats://127.0.0.1:4222', 'tls://nats.example.com:4222', '127.0.0.1:4222', 'nats://u:p@nats:4222'])(
    'accepts %p',
    (value) => expect(isNatsUrl(value)).toBe(true),
  );

  it.each([
    'nats://127.0.0.1',
    'http://nats:4222',
    'nats://:4222',
    'nats:4222/path',
    'nats://nats:99999',
    '',
  ])('rejects %p', (value) => expect(isNatsUrl(value)).toBe(false));
});
