import { type MessageHeaders } from '../event-bus';

/** Bytes a message adds to a produce request, for the `batchSize` bound. */
export function messageBytes(payload: Uint8Array, key: string | undefined, headers: MessageHeaders): number {
  let bytes = payload.byteLength + (key?.length ?? 0);
  for (const name in headers) bytes += name.length + headers[name]!.length;
  return bytes;
}
