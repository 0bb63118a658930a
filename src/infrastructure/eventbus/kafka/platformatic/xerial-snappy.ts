/** snappy-java's stream header, which Kafka's Java producer writes before snappy blocks. */
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
/** Magic, then a version and a minimum compatible version (4 bytes each). */
const XERIAL_HEADER_BYTES = 16;

interface SnappyAlgorithm {
  decompressSync(data: Buffer): Buffer;
}

/**
 * Lets @platformatic/kafka read snappy batches written by the Java client. Kafka's Java producer
 * frames snappy the way snappy-java's stream does (a header, then length-prefixed blocks); the
 * client decodes only unframed snappy, so it would fail on every such batch. Unframed data is left
 * to the client as it is.
 */
export function readXerialFraming(snappy: SnappyAlgorithm): void {
  const decompressBlock = snappy.decompressSync.bind(snappy);
  snappy.decompressSync = (data: Buffer): Buffer => {
    if (data.length < XERIAL_HEADER_BYTES || !data.subarray(0, XERIAL_MAGIC.length).equals(XERIAL_MAGIC))
      return decompressBlock(data);
    const blocks: Buffer[] = [];
    for (let position = XERIAL_HEADER_BYTES; position < data.length;) {
      const length = data.readUInt32BE(position);
      position += 4;
      blocks.push(decompressBlock(data.subarray(position, position + length)));
      position += length;
    }
    return Buffer.concat(blocks);
  };
}
