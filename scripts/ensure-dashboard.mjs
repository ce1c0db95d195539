#!/usr/bin/env node
// Runs before `npm start`: builds the dashboard (dashboard/dist, served by `emma all` at /) when it is
// missing or older than its sources, so a fresh clone shows the dashboard with one command.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dashboard = path.join(root, 'dashboard');
const built = path.join(dashboard, 'dist', 'index.html');

function newestMtime(entry) {
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(entry).map((name) => newestMtime(path.join(entry, name))));
}

const sources = ['src', 'index.html', 'vite.config.ts', 'package.json'].map((p) => path.join(dashboard, p));
const stale =
  !existsSync(built) || Math.max(...sources.filter(existsSync).map(newestMtime)) > statSync(built).mtimeMs;
if (stale) {
  console.log('Building the dashboard (vite build)...');
  execSync('npm run build -w dashboard', { cwd: root, stdio: 'inherit' });
}
