// Service probes: the plug-in list, the runner and the probe modules' public pieces.
export {
  createProbeRegistry,
  DuplicateProbeTypeError,
  PROBE_MODULES,
  probeRegistry,
  type PreparedProbe,
  type ProbeRegistry,
  type RegisteredProbe,
} from './registry';
export { ProbeTimeoutError, runProbe, type RunProbeOptions } from './runner';
export { defineProbe, type ProbeContext, type ProbeModule } from './types';
export { createHttpProbe, httpProbe, type HttpProbeOptions } from './http';
export { tcpProbe } from './tcp';
export { createIcmpProbe, icmpProbe, type IcmpProbeOptions } from './icmp';
export { sqlProbe } from './sql';
export { dnsProbe } from './dns';
export { createTlsProbe, tlsProbe, type TlsProbeOptions } from './tls';
