import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import { Readable } from 'node:stream';
import { buffer as readAll } from 'node:stream/consumers';
import { CompressStream } from 'zstd-napi';
import { registerKafkaCodecs } from '../../../../../../src/infrastructure/eventbus/kafka/kafkajs/kafka-codecs';

interface Codec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}
const codec = (type: CompressionTypes): Codec => (CompressionCodecs[type as 1] as () => Codec)();

/** About 340 KB of text: several blocks in every framing (lz4-napi's 256 KB, xerial's 32 KB). */
const records = Buffer.from(Array.from({ length: 70_000 }, (_, i) => `r${(i * 7919) % 1000}`).join(','));

/** The xerial framing Java's producer writes: a 16-byte header, then length-prefixed snappy blocks. */
async function xerialFramed(data: Buffer, chunk: number): Promise<Buffer> {
  const header = Buffer.from([0x82, ...Buffer.from('SNAPPY'), 0, 0, 0, 0, 1, 0, 0, 0, 1]);
  const parts: Buffer[] = [header];
  for (let offset = 0; offset < data.length; offset += chunk) {
    const block = await codec(CompressionTypes.Snappy).compress({
      buffer: data.subarray(offset, offset + chunk),
    });
    const length = Buffer.alloc(4);
    length.writeUInt32BE(block.length);
    parts.push(length, block);
  }
  return Buffer.concat(parts);
}

describe('registerKafkaCodecs', () => {
  const gzip = CompressionCodecs[CompressionTypes.GZIP];
  beforeAll(() => registerKafkaCodecs());

  it('registers snappy, lz4 and zstd, and leaves gzip to kafkajs', () => {
    expect(CompressionCodecs[CompressionTypes.GZIP]).toBe(gzip);
    // kafkajs's placeholders throw "not implemented"; ours build a codec.
    for (const type of [CompressionTypes.Snappy, CompressionTypes.LZ4, CompressionTypes.ZSTD])
      expect(() => codec(type)).not.toThrow();
  });

  it('registers once per process: a codec set afterwards (by a test, say) stays', () => {
    const registered = CompressionCodecs[CompressionTypes.LZ4];
    const replacement = (): Codec => codec(CompressionTypes.GZIP);
    CompressionCodecs[CompressionTypes.LZ4] = replacement;
    try {
      registerKafkaCodecs();
      expect(CompressionCodecs[CompressionTypes.LZ4]).toBe(replacement);
    } finally {
      CompressionCodecs[CompressionTypes.LZ4] = registered;
    }
  });

  it.each([
    ['snappy', CompressionTypes.Snappy],
    ['lz4', CompressionTypes.LZ4],
    ['zstd', CompressionTypes.ZSTD],
  ] as const)('%s: what it compresses decompresses to the same bytes, smaller', async (_, type) => {
    const compressed = await codec(type).compress({ buffer: records });
    expect(compressed.length).toBeLessThan(records.length / 2);
    expect((await codec(type).decompress(compressed)).equals(records)).toBe(true);
  });

  it('lz4: writes the LZ4 frame format with independent blocks, as Kafka reads it', async () => {
    const frame = await codec(CompressionTypes.LZ4).compress({ buffer: records });
    expect(frame.readUInt32LE(0)).toBe(0x184d2204);
    const flags = frame[4]!;
    expect(flags >> 6).toBe(0b01); // frame format version 1
    expect(flags & 0b0010_0000).not.toBe(0); // block independence: Kafka's reader refuses linked blocks
    expect(frame.readUInt32LE(frame.length - 4)).toBe(0); // end mark, no content checksum after it
  });

  it('zstd: writes a standard frame and reads frames without a content size (streamed, as Java writes)', async () => {
    const frame = await codec(CompressionTypes.ZSTD).compress({ buffer: records });
    expect(frame.readUInt32LE(0)).toBe(0xfd2fb528);
    const streamed = await readAll(Readable.from([records]).pipe(new CompressStream()));
    expect((await codec(CompressionTypes.ZSTD).decompress(streamed)).equals(records)).toBe(true);
  });

  it('snappy: reads the xerial framing of the Java producer, in several blocks', async () => {
    const framed = await xerialFramed(records, 32 * 1024);
    expect((await codec(CompressionTypes.Snappy).decompress(framed)).equals(records)).toBe(true);
  });
});
