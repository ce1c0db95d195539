// dockerode → docker-modem → ssh2 reads the CommonJS `__dirname` while it loads. The agent ships as one ESM
// bundle (deploy/agent.Dockerfile), where no such variable exists, so loading dockerode would throw there.
// Defining it globally (the bundle's own directory, which is what it would be) before dockerode loads
// fixes that; under tsx and vitest every CommonJS module has its own `__dirname` and this changes nothing.
// Import this module before 'dockerode'.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const scope = globalThis as { __dirname?: string };
scope.__dirname ??= path.dirname(fileURLToPath(import.meta.url));
