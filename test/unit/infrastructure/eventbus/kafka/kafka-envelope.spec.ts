import { EnvelopeHeader } from '../../../../../src/infrastructure/eventbus';
import {
  kafkaEnvelope,
  withRecordTime,
} from '../../../../../src/infrastructure/eventbus/kafka/kafka-envelope';

describe('the envelope on Kafka', () => {
  it('sends the message id and the caller’s headers, not eventbus-time (the record has a timestamp)', () => {
    expect(kafkaEnvelope({ 'x-tenant': 'acme', [EnvelopeHeader.time]: 'spoofed' }, 'm-1')).toEqual({
      'x-tenant': 'acme',
      [EnvelopeHeader.id]: 'm-1',
    });
    expect(kafkaEnvelope(undefined, 'm-2')).toEqual({ [EnvelopeHeader.id]: 'm-2' });
  });

  it('gives consumers eventbus-time from the record timestamp, unless the record carries one', () => {
    expect(withRecordTime({ [EnvelopeHeader.id]: 'm-1' }, Date.UTC(2026, 0, 2, 3, 4, 5, 6))).toEqual({
      [EnvelopeHeader.id]: 'm-1',
      [EnvelopeHeader.time]: '2026-01-02T03:04:05.006Z',
    });
    expect(withRecordTime({ [EnvelopeHeader.time]: 't0' }, 0)).toEqual({ [EnvelopeHeader.time]: 't0' });
  });
});
