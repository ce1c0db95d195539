// TCP probe: how long a connection to host:port takes to open.
import net from 'node:net';
import { TcpProbeConfigSchema, type ProbeOutcome } from '@emma/protocol';
import { defineProbe } from './types';
import { abortError, formatMs, now, since, upOrSlow, whenAborted } from './util';

export const tcpProbe = defineProbe({
  type: 'tcp',
  schema: TcpProbeConfigSchema,
  run(config, ctx): Promise<ProbeOutcome> {
    return new Promise<ProbeOutcome>((resolve, reject) => {
      const start = now();
      const socket = net.connect({ host: config.host, port: config.port });
      const stopListening = whenAborted(ctx.signal, (reason) => {
        socket.destroy();
        reject(abortError(reason));
      });
      socket.once('connect', () => {
        const latencyMs = since(start);
        stopListening();
        const details = {
          remoteAddress: socket.remoteAddress ?? null,
          remotePort: socket.remotePort ?? null,
        };
        socket.destroy();
        resolve(
          upOrSlow(
            latencyMs,
            config.degradedAboveMs,
            `connected to ${config.host}:${config.port} in ${formatMs(latencyMs)}`,
            details,
          ),
        );
      });
      socket.once('error', (error) => {
        stopListening();
        socket.destroy();
        reject(error);
      });
    });
  },
});
