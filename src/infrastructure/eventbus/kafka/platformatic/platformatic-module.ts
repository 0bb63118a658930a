import type * as PlatformaticKafkaModule from '@platformatic/kafka' with { 'resolution-mode': 'import' };

import { readXerialFraming } from './xerial-snappy';

export type PlatformaticKafka = typeof PlatformaticKafkaModule;

let loading: Promise<PlatformaticKafka> | undefined;

/**
 * @platformatic/kafka ships only as an ES module; this CommonJS build loads it on first use, so
 * the package is read only by services that choose it. Its snappy codec learns the Java client's
 * framing here, once.
 */
export function loadPlatformaticKafka(): Promise<PlatformaticKafka> {
  return (loading ??= import('@platformatic/kafka').then((client) => {
    readXerialFraming(client.compressionsAlgorithms.snappy);
    return client;
  }));
}
