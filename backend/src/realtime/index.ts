export { startRealtime, WS_PATH } from './server';
export type { RealtimeOptions, RealtimeServer, RealtimeStats, RealtimeTuning } from './server';
export { loadUws, UwsUnavailableError, type UwsBuild } from './uws';
