// The HTTP target of the probe benchmark: node:http on 127.0.0.1 (random port), 200 "OK" at once (or after
// BENCH_TARGET_DELAY_MS), keep-alive on. Runs in its own process so its CPU is counted apart from the agent's;
// counts requests and connections. Started with fork() by scripts/bench-probes.ts; exits when the parent goes
// away or sends 'stop'.
import http from 'node:http';
import type { ParentMessage, TargetMessage } from './messages';

const BODY = Buffer.from('OK');
/** Answer after this many ms (default 0: at once); for seeing the concurrency bound with slow targets. */
const DELAY_MS = Math.max(0, Number(process.env.BENCH_TARGET_DELAY_MS ?? 0) || 0);

let requests = 0;
let connections = 0;
let rssMax = 0;
let mark = { at: performance.now(), cpu: process.cpuUsage(), requests: 0, connections: 0 };

function send(message: TargetMessage): void {
  process.send?.(message);
}

const server = http.createServer({ keepAlive: true }, (req, res) => {
  requests++;
  // Drain the request (probes send none, but a body must not stall the connection).
  req.resume();
  const answer = (): void => {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': BODY.length });
    res.end(BODY);
  };
  if (DELAY_MS > 0) setTimeout(answer, DELAY_MS);
  else answer();
});
server.keepAliveTimeout = 5_000;
server.on('connection', () => {
  connections++;
});

const rssTimer = setInterval(() => {
  rssMax = Math.max(rssMax, process.memoryUsage.rss());
}, 500);

function stop(): void {
  clearInterval(rssTimer);
  server.closeAllConnections();
  server.close(() => {
    process.exit(0);
  });
  setTimeout(() => process.exit(0), 2_000).unref();
}

process.on('message', (raw: ParentMessage) => {
  if (raw.type === 'mark') {
    mark = { at: performance.now(), cpu: process.cpuUsage(), requests, connections };
    rssMax = process.memoryUsage.rss();
    send({ type: 'marked' });
  } else if (raw.type === 'report') {
    const cpu = process.cpuUsage(mark.cpu);
    send({
      type: 'report',
      windowMs: performance.now() - mark.at,
      requests: requests - mark.requests,
      connections: connections - mark.connections,
      cpuUserMs: cpu.user / 1000,
      cpuSystemMs: cpu.system / 1000,
      rssMaxMb: Math.max(rssMax, process.memoryUsage.rss()) / 1024 / 1024,
    });
  } else if (raw.type === 'stop') {
    stop();
  }
});
process.on('disconnect', stop);

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  send({ type: 'listening', port: address.port });
});
