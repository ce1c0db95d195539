// Test helper: a unix-socket proxy in front of the real engine's socket, so a test can make "the engine"
// go away (connections cut, socket gone) and come back at the same path, without touching the engine.
import { rm } from 'node:fs/promises';
import net from 'node:net';

export interface SocketProxy {
  /** The proxy's socket path (hand it to the code under test as the engine socket). */
  path: string;
  /** Connections accepted since start. */
  readonly accepted: number;
  /** Cuts every open connection (as an engine restart would); the socket keeps listening. */
  cut(): void;
  /** Cuts every connection and stops listening: connecting fails until listen() again. */
  down(): Promise<void>;
  /** Listens again at the same path. */
  listen(): Promise<void>;
  close(): Promise<void>;
}

export async function startSocketProxy(target: string, path: string): Promise<SocketProxy> {
  const open = new Set<net.Socket>();
  let accepted = 0;
  let server: net.Server | undefined;

  const start = async (): Promise<void> => {
    await rm(path, { force: true });
    const s = net.createServer((client) => {
      accepted++;
      const upstream = net.connect(target);
      open.add(client);
      open.add(upstream);
      const done = () => {
        client.destroy();
        upstream.destroy();
        open.delete(client);
        open.delete(upstream);
      };
      client.on('error', done).on('close', done);
      upstream.on('error', done).on('close', done);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(path, () => {
        resolve();
      });
    });
    server = s;
  };
  const cut = () => {
    for (const socket of open) socket.destroy();
    open.clear();
  };
  const down = async () => {
    const s = server;
    server = undefined;
    cut();
    if (s)
      await new Promise<void>((resolve) =>
        s.close(() => {
          resolve();
        }),
      );
    await rm(path, { force: true });
  };

  await start();
  return {
    path,
    get accepted() {
      return accepted;
    },
    cut,
    down,
    listen: start,
    close: down,
  };
}
