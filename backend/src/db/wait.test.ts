// Which database errors are worth another try: failures to reach it, not failures of a statement.
import net from 'node:net';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/harness';
import { isUnreachable } from './wait';

async function errorOf(work: () => Promise<unknown>): Promise<unknown> {
  return work().then(
    () => expect.fail('expected an error'),
    (err: unknown) => err,
  );
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('isUnreachable', () => {
  it('is true for a refused connection and one the server end drops', async () => {
    const refused = new pg.Client({ connectionString: `postgres://x@127.0.0.1:${await closedPort()}/x` });
    expect(isUnreachable(await errorOf(() => refused.connect()))).toBe(true);

    const dropping = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => dropping.listen(0, '127.0.0.1', resolve));
    const { port } = dropping.address() as net.AddressInfo;
    const dropped = new pg.Client({ connectionString: `postgres://x@127.0.0.1:${port}/x` });
    dropped.on('error', () => undefined);
    expect(isUnreachable(await errorOf(() => dropped.connect()))).toBe(true);
    dropping.close();
  });

  it("is false for a statement's own error and for a database that does not exist", async () => {
    const client = new pg.Client({ connectionString: await createTestDatabase({ empty: true }) });
    await client.connect();
    try {
      expect(isUnreachable(await errorOf(() => client.query('SELEC 1')))).toBe(false);
      expect(isUnreachable(await errorOf(() => client.query('SELECT 1/0')))).toBe(false);
    } finally {
      await client.end();
    }
    const url = new URL(await createTestDatabase({ empty: true }));
    url.pathname = '/emma_no_such_database';
    const missing = new pg.Client({ connectionString: url.toString() });
    expect(isUnreachable(await errorOf(() => missing.connect()))).toBe(false);
  });

  it("is true for a server shutting down or starting up (SQLSTATE 57P01, 57P03), true for a failed lookup (EAI_AGAIN), false for other codes and Node's own errors", () => {
    const withCode = (code: string) => Object.assign(new Error('x'), { code });
    expect(isUnreachable(withCode('57P01'))).toBe(true);
    expect(isUnreachable(withCode('57P03'))).toBe(true);
    expect(isUnreachable(withCode('08006'))).toBe(true);
    expect(isUnreachable(withCode('23505'))).toBe(false);
    expect(isUnreachable(withCode('EAI_AGAIN'))).toBe(true);
    expect(isUnreachable(withCode('EPIPE'))).toBe(true);
    expect(isUnreachable(withCode('ERR_INVALID_URL'))).toBe(false);
    expect(isUnreachable('ECONNREFUSED')).toBe(false);
  });
});
