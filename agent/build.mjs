#!/usr/bin/env node
// Bundles the agent into one self-contained ESM file per entry point, run by plain node: no TypeScript
// loader and no node_modules where it runs (the image, the benchmarks). Usage: node agent/build.mjs OUTDIR
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.resolve(process.argv[2] ?? 'dist');
const unused = path.join(here, 'src/collectors/containers/unused-module.cjs');

await build({
  entryPoints: { main: path.join(here, 'src/main.ts'), healthcheck: path.join(here, 'src/healthcheck.ts') },
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  // pg's optional native driver and ssh2's optional native crypto are never used.
  external: ['pg-native', '*.node'],
  // dockerode loads ssh2 (for ssh:// engines) and gRPC (for BuildKit sessions) as soon as it is imported;
  // the agent uses neither (it refuses ssh:// endpoints), and they cost about 25 MB of memory.
  alias: { ssh2: unused, '@grpc/grpc-js': unused, '@grpc/proto-loader': unused },
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
});
