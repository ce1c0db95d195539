// A tiny authoritative DNS server on UDP for tests: answers A queries for the names it is told, with TTL 0,
// and NXDOMAIN for every other name; AAAA queries for a known name get an empty answer. Enough for nginx's
// resolver (and any stub resolver) to look names up against addresses the test changes while it runs.
import dgram from 'node:dgram';

export interface TestDns {
  port: number;
  /** Sets (or, with undefined, removes) the IPv4 address a name resolves to. */
  set(name: string, address: string | undefined): void;
  close(): Promise<void>;
}

/** The question's name; undefined for a truncated or compressed one, which no stub resolver sends. */
function readName(message: Buffer, offset: number): { name: string; end: number } | undefined {
  const labels: string[] = [];
  let at = offset;
  while (message[at] !== 0) {
    const length = message[at];
    if (length === undefined || length > 63 || at + 1 + length >= message.length) return undefined;
    labels.push(message.subarray(at + 1, at + 1 + length).toString('ascii'));
    at += 1 + length;
  }
  return { name: labels.join('.').toLowerCase(), end: at + 1 };
}

export async function startTestDns(): Promise<TestDns> {
  const records = new Map<string, string>();
  const socket = dgram.createSocket('udp4');
  socket.on('message', (query, peer) => {
    const parsed = query.length >= 17 ? readName(query, 12) : undefined;
    if (!parsed || parsed.end + 4 > query.length) return;
    const { name, end } = parsed;
    const type = query.readUInt16BE(end);
    const question = query.subarray(12, end + 4);
    const address = records.get(name);
    const answer = type === 1 && address !== undefined;
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2); // id
    header.writeUInt16BE(0x8400 | (query.readUInt16BE(2) & 0x0100) | (records.has(name) ? 0 : 3), 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answer ? 1 : 0, 6);
    const parts = [header, question];
    if (answer) {
      const record = Buffer.alloc(16);
      record.writeUInt16BE(0xc00c, 0); // the name in the question
      record.writeUInt16BE(1, 2); // A
      record.writeUInt16BE(1, 4); // IN
      record.writeUInt32BE(0, 6); // TTL 0: ask again every time
      record.writeUInt16BE(4, 10);
      address.split('.').forEach((octet, i) => record.writeUInt8(Number(octet), 12 + i));
      parts.push(record);
    }
    socket.send(Buffer.concat(parts), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: socket.address().port,
    set: (name, address) => {
      if (address === undefined) records.delete(name.toLowerCase());
      else records.set(name.toLowerCase(), address);
    },
    close: () =>
      new Promise((resolve) =>
        socket.close(() => {
          resolve();
        }),
      ),
  };
}
