import { connect } from 'node:net';
import { type BrokerKind } from './brokers';

/** Where `npm run brokers:up` (and a local PostgreSQL) serve: the suites use them when they answer. */
export const LOCAL_ADDRESSES: Record<BrokerKind, { url: string; host: string; port: number }> = {
  kafka: { url: '127.0.0.1:9092', host: '127.0.0.1', port: 9092 },
  nats: { url: 'nats://127.0.0.1:4222', host: '127.0.0.1', port: 4222 },
  postgres: { url: 'postgres://postgres@127.0.0.1:5432/postgres', host: '127.0.0.1', port: 5432 },
};

/** Whether something accepts TCP connections there within `timeoutMs`. */
export function listening(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (answer: boolean): void => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
