import { type MessageHeaders } from '../event-bus';

/** A payload as the Kafka clients take it: the same bytes in a Buffer, not copied. */
export function asBuffer(payload: Uint8Array): Buffer {
  return Buffer.isBuffer(payload)
    ? payload
    : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
}

/** Bytes a message adds to a produce request, for the `batchSize` bound. */
export function messageBytes(payload: Uint8Array, key: string | undefined, headers: MessageHeaders): number {
  let bytes = payload.byteLength + (key?.length ?? 0);
  for (const name in headers) bytes += name.length + headers[name]!.length;
  return bytes;
}
