import { KafkaJSNumberOfRetriesExceeded, type KafkaJSProtocolError } from 'kafkajs';
import { isTopicNotReady } from '../../../../../../src/infrastructure/eventbus/kafka/kafkajs/kafkajs-errors';

/** kafkajs's own factory for a broker's error code, the one its response parsers use. */
const { createErrorFromCode } = jest.requireActual<{
  createErrorFromCode(code: number): KafkaJSProtocolError;
}>('kafkajs/src/protocol/error');

describe('isTopicNotReady (kafkajs)', () => {
  it('is true for an unknown topic or a missing leader, also after kafkajs ran out of retries', () => {
    expect(isTopicNotReady(createErrorFromCode(3))).toBe(true);
    expect(isTopicNotReady(createErrorFromCode(5))).toBe(true);
    const exhausted = new KafkaJSNumberOfRetriesExceeded(createErrorFromCode(5), {
      retryCount: 5,
      retryTime: 1000,
    });
    expect(isTopicNotReady(exhausted)).toBe(true);
  });

  it('is false for other failures', () => {
    expect(isTopicNotReady(createErrorFromCode(29))).toBe(false);
    expect(isTopicNotReady(new Error('socket hang up'))).toBe(false);
    expect(isTopicNotReady(undefined)).toBe(false);
  });
});
