import { createServer, type RequestListener, type Server } from 'node:http';
import { answerClientError } from './client-error';

export interface HttpServerLimits {
  requestTimeout: number;
  headersTimeout: number;
  maxConnections: number;
}

/**
 * The HTTP server for `app`, bounding what one client can hold: a request must arrive within
 * `requestTimeout` and its headers within `headersTimeout` (Node's defaults let a slow body hold a
 * socket for five minutes), and at most `maxConnections` are open. Requests Node refuses (malformed,
 * headers too large, too slow) get a problem+json reply like every other error.
 */
export function createLimitedHttpServer(app: RequestListener, limits: HttpServerLimits): Server {
  const server = createServer(
    {
      requestTimeout: limits.requestTimeout,
      // Node requires headersTimeout <= requestTimeout.
      headersTimeout: Math.min(limits.headersTimeout, limits.requestTimeout),
      // How often the timeouts are checked (Node's default, 30 s, would stretch a 10 s limit to 40 s).
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeout),
    },
    app,
  );
  server.maxConnections = limits.maxConnections;
  server.on('clientError', answerClientError);
  return server;
}
