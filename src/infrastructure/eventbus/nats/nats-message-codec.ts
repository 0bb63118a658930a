import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import { EnvelopeHeader } from '../constants';
import { InvalidMessageError } from '../errors';
import { type MessageHeaders } from '../event-bus';

/**
 * The ordering key travels in this header (JetStream has no message key), URI-encoded because NATS
 * header values cannot hold CR/LF and lose surrounding whitespace. Reserved, like the envelope.
 */
export const KeyHeader = 'eventbus-key';
/** The message id; JetStream de-duplicates on it. */
export const MessageIdHeader = 'Nats-Msg-Id';

/**
 * Headers of a message published by the bus: the user's headers and the key. The envelope does not
 * travel as headers: its id is the `Nats-Msg-Id` JetStream needs for de-duplication anyway, and its
 * time is the time JetStream stored the message; the inbound side puts both back (a user header
 * of either name is replaced, as `withEnvelope` does for the other backends). Fewer header bytes
 * per message are a measurable share of the publish throughput.
 */
export function publishHeaders(
  topic: string,
  headers: MessageHeaders | undefined,
  key: string | undefined,
): MsgHdrs {
  return build(topic, headers, key, true);
}

/** Headers of a dead letter: all of the original's (its envelope included) plus the reasons and the key. */
export function deadLetterHeaders(topic: string, headers: MessageHeaders, key: string | undefined): MsgHdrs {
  return build(topic, headers, key, false);
}

/** Invalid header names or values become typed errors naming the header. */
function build(
  topic: string,
  headers: MessageHeaders | undefined,
  key: string | undefined,
  skipEnvelope: boolean,
): MsgHdrs {
  const result = natsHeaders();
  let name = KeyHeader;
  try {
    if (headers) {
      for (name in headers) {
        if (skipEnvelope && (name === EnvelopeHeader.id || name === EnvelopeHeader.time)) continue;
        result.set(name, headers[name]!);
      }
    }
    if (key !== undefined) {
      name = KeyHeader;
      result.set(KeyHeader, encodeURIComponent(key));
    }
  } catch (error) {
    throw new InvalidMessageError(
      `header "${name}" for topic "${topic}" cannot travel over NATS: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return result;
}
