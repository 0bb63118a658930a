import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP forwarder between the service and a real server, so a test can take "the network to the
 * database" away without touching the shared server: `cut()` refuses and drops connections,
 * `freeze()` keeps them open but passes no bytes (a server that hangs), `restore()` heals both.
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private frozen = false;

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
    private listenPort: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target.host, target.port, 0);
    await proxy.listen();
    return proxy;
  }

  get port(): number {
    return this.listenPort;
  }

  /** Like the server going away: open connections are reset and new ones refused. */
  async cut(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = undefined;
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  /** Like a server that stopped answering: connections stay open, nothing gets through. */
  freeze(): void {
    this.frozen = true;
    for (const socket of this.sockets) socket.pause();
  }

  async restore(): Promise<void> {
    this.frozen = false;
    for (const socket of this.sockets) socket.resume();
    if (!this.server) await this.listen();
  }

  async close(): Promise<void> {
    await this.cut();
  }

  private listen(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      // After pipe(), which resumes its source: a connection opened while frozen must pass nothing.
      if (this.frozen) for (const socket of [client, upstream]) socket.pause();
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listenPort, '127.0.0.1', () => {
        const address = server.address();
        if (typeof address === 'object' && address) this.listenPort = address.port;
        resolve();
      });
    });
  }
}
