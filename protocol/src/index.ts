export * from './roles';
export * from './errors';
export * from './auth';
export * from './agent';
export * from './probes';
export * from './containers';
export * from './realtime';
