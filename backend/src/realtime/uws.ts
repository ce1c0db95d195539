// The one module that touches uWebSockets.js: another build (or another server) replaces this file only.
// The package is the npm alias `uWebSockets.js` → @trufflesuite/uws-js-unofficial@20.30.0-unofficial.0, whose
// native binary loads on Node 20 with glibc 2.36. When the binary does not load (or UWS_USE_FALLBACK=1), the
// package falls back to a JavaScript implementation on `ws` that has no custom upgrade handler (it throws
// "not implemented" at every upgrade), no getUserData and no pub/sub: eMMA refuses to start on it, with a
// message that says why, rather than fail at the first client.
import { createRequire } from 'node:module';
import type * as Uws from 'uWebSockets.js';

export interface UwsBuild {
  /** The native binary is in use (the only build eMMA serves on). */
  native: boolean;
  /** The binary's file name, e.g. uws_linux_x64_115.node; undefined for the fallback. */
  binary: string | undefined;
  /** The version of the package behind the alias. */
  version: string;
}

let loaded: { uws: typeof Uws; build: UwsBuild } | undefined;

/** The native binary did not load: the realtime server cannot run in this process. */
export class UwsUnavailableError extends Error {
  constructor(build: UwsBuild) {
    super(
      `uWebSockets.js ${build.version}: the native binary did not load for Node ${process.version} ` +
        `(${process.platform}-${process.arch}, ABI ${process.versions.modules}); its JavaScript fallback has ` +
        'no upgrade handler (no authentication possible), so the realtime server does not start on it',
    );
    this.name = 'UwsUnavailableError';
  }
}

/** Throws UwsUnavailableError unless the native binary is in use. */
export function requireNativeUws(): UwsBuild {
  const { build } = loadUws();
  if (!build.native) throw new UwsUnavailableError(build);
  return build;
}

/** Loads uWebSockets.js once and tells whether its native binary or the JavaScript fallback is in use. */
export function loadUws(): { uws: typeof Uws; build: UwsBuild } {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const uws = require('uWebSockets.js') as typeof Uws;
  const { version } = require('uWebSockets.js/package.json') as { version: string };
  // The package's loader require()s binaries/uws_<platform>_<arch>_<abi>.node and, when that throws, dist/index.js.
  const binaryPath = Object.keys(require.cache).find((file) =>
    /[\\/]uWebSockets\.js[\\/]binaries[\\/]uws_[^\\/]+\.node$/.test(file),
  );
  const binary = binaryPath?.split(/[\\/]/).pop();
  loaded = { uws, build: { native: binary !== undefined, binary, version } };
  return loaded;
}

/** What the upgrade handler needs, copied out of uWS's request (which is invalid after the first await). */
export interface UpgradeRequest {
  url: string;
  /** The raw query string, without `?`. */
  query: string;
  /** Lowercase names. */
  headers: Record<string, string>;
  remoteAddress: string;
}

export type UpgradeDecision<T> =
  { accept: true; data: T } | { accept: false; status: number; statusText: string; body: string };

/** A connected WebSocket; valid until its close handler ran (then every call is a no-op). */
export interface WsSocket<T> {
  readonly data: T;
  readonly isOpen: boolean;
  /** Sends a text frame; returns the bytes now queued for this socket, or -1 when it was not sent. */
  send(frame: string | Uint8Array): number;
  /** Runs several sends as one write. */
  cork(fn: () => void): void;
  bufferedAmount(): number;
  /** A close frame with code and reason; the close handler runs at once. */
  end(code: number, reason: string): void;
}

export interface WsHandlers<T> {
  upgrade(request: UpgradeRequest): Promise<UpgradeDecision<T>>;
  open(socket: WsSocket<T>): void;
  /** `text` is undefined for a binary frame. */
  message(socket: WsSocket<T>, text: string | undefined): void;
  close(socket: WsSocket<T>, code: number, reason: string): void;
  /** `GET /health`. */
  health(): { status: number; body: unknown };
  /** An upgrade handler that threw (a bug or a database failure); the client got a 500. */
  upgradeFailed(err: unknown): void;
}

export interface WsServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  path: string;
  /**
   * uWS's own per-socket limit: beyond it uWS silently skips messages. eMMA drops a client at its own, lower
   * limit (see realtime/server.ts), so this is only the hard ceiling of one socket's memory.
   */
  maxBackpressure: number;
  /** Largest client message; a bigger one closes the connection (1009). */
  maxPayloadLength: number;
  idleTimeoutS: number;
}

export interface WsServer {
  port: number;
  build: UwsBuild;
  /** Stops listening and closes every connection still open (end the WebSockets first). */
  close(): void;
}

const JSON_TYPE = 'application/json; charset=utf-8';

class Socket<T> implements WsSocket<T> {
  isOpen = true;

  constructor(
    private readonly ws: Uws.WebSocket<UserData<T>>,
    readonly data: T,
  ) {}

  send(frame: string | Uint8Array): number {
    if (!this.isOpen) return -1;
    // 2 = dropped: the socket was over uWS's maxBackpressure before this message.
    if (this.ws.send(frame, false) === 2) return -1;
    return this.ws.getBufferedAmount();
  }

  cork(fn: () => void): void {
    if (this.isOpen) this.ws.cork(fn);
  }

  bufferedAmount(): number {
    return this.isOpen ? this.ws.getBufferedAmount() : 0;
  }

  end(code: number, reason: string): void {
    if (!this.isOpen) return;
    this.ws.end(code, reason);
  }
}

interface UserData<T> {
  data: T;
  socket?: Socket<T>;
}

export function listenWs<T>(options: WsServerOptions, handlers: WsHandlers<T>): Promise<WsServer> {
  const { uws, build } = loadUws();
  if (!build.native) return Promise.reject(new UwsUnavailableError(build));
  const app = uws.App();
  app.ws<UserData<T>>(options.path, {
    compression: uws.DISABLED,
    maxPayloadLength: options.maxPayloadLength,
    maxBackpressure: options.maxBackpressure,
    closeOnBackpressureLimit: 0,
    idleTimeout: options.idleTimeoutS,
    sendPingsAutomatically: true,
    upgrade: (res, req, context) => {
      // Everything from req now: uWS frees it when this function returns.
      const headers: Record<string, string> = {};
      req.forEach((name, value) => {
        headers[name] = value;
      });
      // Typed as string, but undefined when the URL has no query.
      const rawQuery: unknown = req.getQuery();
      const request: UpgradeRequest = {
        url: req.getUrl(),
        query: typeof rawQuery === 'string' ? rawQuery : '',
        headers,
        remoteAddress: Buffer.from(res.getRemoteAddressAsText()).toString(),
      };
      const key = headers['sec-websocket-key'] ?? '';
      const protocol = headers['sec-websocket-protocol'] ?? '';
      const extensions = headers['sec-websocket-extensions'] ?? '';
      let aborted = false;
      res.onAborted(() => {
        aborted = true;
      });
      const answer = (decision: UpgradeDecision<T>) => {
        if (aborted) return;
        res.cork(() => {
          if (decision.accept) {
            res.upgrade<UserData<T>>({ data: decision.data }, key, protocol, extensions, context);
          } else {
            res
              .writeStatus(`${decision.status} ${decision.statusText}`)
              .writeHeader('content-type', JSON_TYPE)
              .writeHeader('cache-control', 'no-store')
              .end(decision.body, true);
          }
        });
      };
      handlers.upgrade(request).then(answer, (err: unknown) => {
        handlers.upgradeFailed(err);
        answer({
          accept: false,
          status: 500,
          statusText: 'Internal Server Error',
          body: JSON.stringify({
            error: { code: 'internal', message: 'Internal error', requestId: headers['x-request-id'] ?? '' },
          }),
        });
      });
    },
    open: (ws) => {
      const userData = ws.getUserData();
      const socket = new Socket<T>(ws, userData.data);
      userData.socket = socket;
      handlers.open(socket);
    },
    message: (ws, message, isBinary) => {
      const socket = ws.getUserData().socket;
      if (!socket) return;
      handlers.message(socket, isBinary ? undefined : Buffer.from(message).toString('utf8'));
    },
    close: (ws, code, message) => {
      const socket = ws.getUserData().socket;
      if (!socket) return;
      socket.isOpen = false;
      handlers.close(socket, code, Buffer.from(message).toString('utf8'));
    },
  });
  app.get('/health', (res) => {
    const { status, body } = handlers.health();
    res
      .writeStatus(status === 200 ? '200 OK' : `${status} Service Unavailable`)
      .writeHeader('content-type', JSON_TYPE)
      .writeHeader('cache-control', 'no-store')
      .end(JSON.stringify(body));
  });
  app.any('/*', (res) => {
    res
      .writeStatus('404 Not Found')
      .writeHeader('content-type', JSON_TYPE)
      .end(
        JSON.stringify({
          error: { code: 'not_found', message: `Connect a WebSocket to ${options.path}`, requestId: '' },
        }),
      );
  });

  return new Promise((resolve, reject) => {
    app.listen(options.host, options.port, (listenSocket) => {
      if (listenSocket === false) {
        reject(new Error(`the realtime server cannot listen on ${options.host}:${options.port}`));
        return;
      }
      resolve({
        port: uws.us_socket_local_port(listenSocket),
        build,
        close: () => {
          uws.us_listen_socket_close(listenSocket);
          // Also the HTTP keep-alive connections (/health); this build has app.close(), its typings do not.
          (app as Uws.TemplatedApp & { close?: () => void }).close?.();
        },
      });
    });
  });
}
