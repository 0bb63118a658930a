import { connect } from '@nats-io/transport-node';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';

/** A plain JetStream manager for assertions on the server side and for cleaning up test streams. */
export async function withJetStreamManager<T>(
  urls: string[],
  work: (jsm: JetStreamManager) => Promise<T>,
): Promise<T> {
  const connection = await connect({ servers: urls, timeout: 5_000 });
  try {
    return await work(await jetstreamManager(connection));
  } finally {
    await connection.close();
  }
}

/** Deletes the streams whose name passes `select` (tests use unique names, so this only hits their own). */
export async function deleteStreams(urls: string[], select: (name: string) => boolean): Promise<number> {
  return withJetStreamManager(urls, async (jsm) => {
    let deleted = 0;
    for await (const name of jsm.streams.names()) {
      if (!select(name)) continue;
      await jsm.streams.delete(name);
      deleted++;
    }
    return deleted;
  });
}
