import { createRequire } from 'node:module';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import snappyCodec from 'kafkajs-snappy';
import { compressFrame, decompressFrame } from 'lz4-napi';
import type * as ZstdNapi from 'zstd-napi';

/** kafkajs's codec contract: `compress` gets the encoder holding a batch's record bytes. */
interface KafkaCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

/**
 * Kafka's lz4 is the LZ4 frame format with independent blocks (its Java reader rejects dependent
 * ones); lz4-napi writes exactly that, without checksums, and reads any frame.
 */
const lz4Codec = (): KafkaCodec => ({
  compress: (encoder) => compressFrame(encoder.buffer),
  decompress: (buffer) => decompressFrame(buffer),
});

/** One standard zstd frame out; in, frames with or without a content size (Java's writer leaves it out). */
const zstdCodecOver = (zstd: typeof ZstdNapi) => (): KafkaCodec => ({
  compress: (encoder) => Promise.resolve(zstd.compress(encoder.buffer)),
  decompress: (buffer) => Promise.resolve(zstd.decompress(buffer)),
});

/**
 * zstd-napi is an optional dependency: it compiles libzstd when installed, which fails on a machine
 * without a C++ toolchain, and that must not stop `npm install` or the other codecs.
 */
function loadZstd(): typeof ZstdNapi | undefined {
  try {
    return createRequire(__filename)('zstd-napi') as typeof ZstdNapi;
  } catch {
    return undefined;
  }
}

let registered: { zstd: boolean } | undefined;

/**
 * kafkajs ships gzip only: this registers snappy, lz4 and zstd, once per process. All three whatever
 * `producer.compression` says, since a consumer must read batches in the codec their producer chose.
 * kafkajs-snappy writes an unframed snappy block, which Java's snappy reader accepts as well as the
 * xerial framing the Java producer writes; it reads both. Says whether zstd could be registered.
 */
export function registerKafkaCodecs(): { zstd: boolean } {
  if (registered) return registered;
  CompressionCodecs[CompressionTypes.Snappy] = snappyCodec;
  CompressionCodecs[CompressionTypes.LZ4] = lz4Codec;
  const zstd = loadZstd();
  if (zstd) CompressionCodecs[CompressionTypes.ZSTD] = zstdCodecOver(zstd);
  registered = { zstd: zstd !== undefined };
  return registered;
}
