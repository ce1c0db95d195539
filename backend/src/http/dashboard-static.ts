// The built dashboard (dashboard/dist, or EMMA_DASHBOARD_DIR) on the HTTP port, mounted after the API router:
// its files at `/`, index.html for any other page a browser asks for (the dashboard routes in the browser),
// hashed assets cached for a year, text files gzipped once and kept in memory. API paths never reach it, so
// their 404s stay JSON; a missing build answers a short page that says how to build it.
import { createReadStream, type Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { Next } from 'koa';
import type { EmmaContext } from './context';
import { AppError } from './errors';

const gzip = promisify(gzipCallback);

/** Paths that belong to the server itself: never a dashboard file, never index.html. */
const SERVER_PREFIXES = ['/api', '/health', '/ready', '/metrics'];
/** Vite's output: content-hashed names, so they never change under the same URL. */
const ASSETS_PREFIX = '/assets/';
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

const TEXT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
};
/** Smaller files gain nothing from gzip. */
const GZIP_MIN_BYTES = 1024;
/** Larger files are sent as they are rather than compressed into memory. */
const GZIP_MAX_BYTES = 16 * 1024 * 1024;
/** Compressed bytes kept in memory in all; the oldest entries leave first. */
const CACHE_MAX_BYTES = 64 * 1024 * 1024;

export const NOT_BUILT_HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>eMMA: dashboard not built</title></head>
<body>
  <h1>The eMMA dashboard is not built</h1>
  <p>The server runs, but it found no <code>index.html</code> in its dashboard directory
  (<code>EMMA_DASHBOARD_DIR</code>, by default <code>dashboard/dist</code>).</p>
  <p>Build it with <code>npm run build -w dashboard</code> and reload this page.
  The REST API is at <a href="/api/docs">/api/docs</a>.</p>
</body>
</html>
`;

interface Compressed {
  mtimeMs: number;
  size: number;
  body: Buffer;
}

export function dashboardStatic(dir: string): (ctx: EmmaContext, next: Next) => Promise<void> {
  const root = path.resolve(dir);
  const cache = new Map<string, Compressed>();
  let cachedBytes = 0;

  const remember = (file: string, entry: Compressed): void => {
    const old = cache.get(file);
    if (old) {
      cachedBytes -= old.body.length;
      cache.delete(file);
    }
    if (entry.body.length > CACHE_MAX_BYTES) return;
    cache.set(file, entry);
    cachedBytes += entry.body.length;
    for (const [key, value] of cache) {
      if (cachedBytes <= CACHE_MAX_BYTES) break;
      cache.delete(key);
      cachedBytes -= value.body.length;
    }
  };

  /** The gzipped file, compressed at most once per modification time. */
  const compressed = async (file: string, stats: Stats): Promise<Buffer> => {
    const hit = cache.get(file);
    if (hit && hit.mtimeMs === stats.mtimeMs && hit.size === stats.size) return hit.body;
    const body = await gzip(await readFile(file), { level: 9 });
    remember(file, { mtimeMs: stats.mtimeMs, size: stats.size, body });
    return body;
  };

  const send = async (ctx: EmmaContext, file: string, stats: Stats, cacheControl: string): Promise<void> => {
    const ext = path.extname(file).toLowerCase();
    const textType = TEXT_TYPES[ext];
    ctx.status = 200;
    ctx.type = textType ?? (ext === '' ? 'application/octet-stream' : ext);
    if (!ctx.type) ctx.type = 'application/octet-stream';
    ctx.set('Cache-Control', cacheControl);
    ctx.lastModified = stats.mtime;
    const canGzip = textType !== undefined && stats.size >= GZIP_MIN_BYTES && stats.size <= GZIP_MAX_BYTES;
    if (canGzip) ctx.vary('Accept-Encoding');
    const useGzip = canGzip && ctx.acceptsEncodings('gzip', 'identity') === 'gzip';
    const tag = `${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}`;
    ctx.etag = useGzip ? `W/"${tag}-gz"` : `W/"${tag}"`;
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    if (useGzip) {
      ctx.set('Content-Encoding', 'gzip');
      // Koa sends only the headers (with this length) for HEAD.
      ctx.body = await compressed(file, stats);
      return;
    }
    ctx.length = stats.size;
    // Koa closes the stream unread for HEAD, and whenever the response ends early.
    ctx.body = createReadStream(file);
  };

  const serveIndex = async (ctx: EmmaContext): Promise<void> => {
    const index = path.join(root, 'index.html');
    const stats = await fileStats(index);
    if (stats) {
      await send(ctx, index, stats, REVALIDATE);
      return;
    }
    ctx.status = 200;
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = NOT_BUILT_HTML;
  };

  return async (ctx: EmmaContext, next: Next): Promise<void> => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || isServerPath(ctx.path)) {
      await next();
      return;
    }
    const relative = safeRelativePath(ctx.path);
    if (relative === '') {
      await serveIndex(ctx);
      return;
    }
    const file = relative === undefined ? undefined : path.join(root, relative);
    const stats = file === undefined ? undefined : await fileStats(file);
    if (file !== undefined && stats) {
      const immutable = ctx.path.startsWith(ASSETS_PREFIX);
      await send(ctx, file, stats, immutable ? IMMUTABLE : REVALIDATE);
      return;
    }
    // A page of the dashboard (say /agents/42) is index.html; a missing script or image is a 404.
    if (!ctx.path.startsWith(ASSETS_PREFIX) && acceptsHtml(ctx)) {
      await serveIndex(ctx);
      return;
    }
    await next();
  };
}

function isServerPath(urlPath: string): boolean {
  return SERVER_PREFIXES.some((prefix) => urlPath === prefix || urlPath.startsWith(`${prefix}/`));
}

/**
 * The request path as a path below the dashboard directory ('' for the root), or undefined for a hidden file
 * (a segment starting with a dot: never served). Refuses with 400 what tries to leave the directory: `.` and
 * `..` segments, backslashes, NUL, and undecodable escapes.
 */
export function safeRelativePath(urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    throw new AppError(400, 'invalid_path', 'The path is not valid percent-encoding');
  }
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (
    decoded.includes('\0') ||
    decoded.includes('\\') ||
    segments.some((segment) => segment === '.' || segment === '..')
  ) {
    throw new AppError(400, 'invalid_path', 'The path may not contain dot segments, backslashes or NUL');
  }
  if (segments.some((segment) => segment.startsWith('.'))) return undefined;
  if (urlPath.endsWith('/') && segments.length > 0) segments.push('index.html');
  return segments.join('/');
}

function acceptsHtml(ctx: EmmaContext): boolean {
  return (ctx.get('accept') || '').toLowerCase().includes('text/html');
}

/** The file's stats when it is a regular file; undefined for nothing there, a directory, or no access. */
async function fileStats(file: string): Promise<Stats | undefined> {
  try {
    const stats = await stat(file);
    return stats.isFile() ? stats : undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES' || code === 'ENAMETOOLONG')
      return undefined;
    throw err;
  }
}
