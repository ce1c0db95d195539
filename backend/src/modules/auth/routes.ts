import {
  ChangePasswordRequestSchema,
  LoginRequestSchema,
  MeSchema,
  RefreshRequestSchema,
  TokenPairSchema,
  WsTicketSchema,
} from '@emma/protocol';
import { requestOrigin, requirePrincipal } from '../../http/context';
import { Refusal, type ApiRouter } from '../../http/route';
import * as auth from './service';

export interface AuthRouteDeps extends auth.AuthDeps {
  /** Asked at each ticket: the realtime server of `emma all` starts after the routes are registered. */
  wsEndpoint: () => auth.WsEndpoint;
}

export function registerAuthRoutes(api: ApiRouter, deps: AuthRouteDeps): void {
  api.route({
    method: 'post',
    path: '/api/v1/auth/login',
    access: 'public',
    tags: ['auth'],
    summary: 'Log in with email and password',
    description:
      'Returns a short-lived access token and a single-use refresh token. Repeated failures lock the account ' +
      'and the client address for a while (429 with Retry-After). Unknown user and wrong password answer alike.',
    body: LoginRequestSchema,
    responses: {
      200: { description: 'Logged in', schema: TokenPairSchema },
      401: { description: 'Invalid email or password' },
      429: { description: 'Too many failed logins; see Retry-After' },
    },
    handler: async (ctx, { body }) => {
      const outcome = await auth.login(deps, ctx.state.db, requestOrigin(ctx), body);
      return outcome.ok ? outcome.value : new Refusal(outcome.error);
    },
  });

  api.route({
    method: 'post',
    path: '/api/v1/auth/refresh',
    access: 'public',
    tags: ['auth'],
    summary: 'Exchange a refresh token for a new token pair',
    description: 'Each refresh token works once. Presenting a used one revokes its whole session.',
    body: RefreshRequestSchema,
    responses: {
      200: { description: 'A new token pair', schema: TokenPairSchema },
      401: { description: 'The refresh token is invalid, expired, used or revoked' },
    },
    handler: async (ctx, { body }) => {
      const outcome = await auth.refresh(deps, ctx.state.db, requestOrigin(ctx), body.refreshToken);
      return outcome.ok ? outcome.value : new Refusal(outcome.error);
    },
  });

  api.route({
    method: 'post',
    path: '/api/v1/auth/logout',
    access: 'authenticated',
    tags: ['auth'],
    summary: 'End the current session',
    description: 'Revokes the session: its access token and refresh tokens stop working at once.',
    responses: { 204: { description: 'Logged out' } },
    handler: async (ctx) => {
      await auth.logout(ctx.state.db, requestOrigin(ctx), requirePrincipal(ctx));
      return undefined;
    },
  });

  api.route({
    method: 'get',
    path: '/api/v1/auth/me',
    access: 'authenticated',
    tags: ['auth'],
    summary: 'The signed-in user and their permissions',
    responses: { 200: { description: 'Current user', schema: MeSchema } },
    handler: (ctx) => auth.me(ctx.state.db, requirePrincipal(ctx)),
  });

  api.route({
    method: 'post',
    path: '/api/v1/auth/ws-ticket',
    access: 'authenticated',
    tags: ['auth'],
    summary: 'A single-use ticket for the realtime WebSocket',
    description:
      'Browsers cannot send an Authorization header on a WebSocket: connect to `<url>?ticket=<ticket>` (or, ' +
      'when `url` is null, `ws(s)://<the page host>:<port>/ws?ticket=<ticket>`) within 30 seconds. The ticket ' +
      'works once; the connection lasts until the access token that asked for it expires (send ' +
      '`{"op":"auth","token":…}` with a fresh one to extend it).',
    responses: { 200: { description: 'A ticket and where to use it', schema: WsTicketSchema } },
    handler: (ctx) => auth.issueWsTicket(ctx.state.db, requirePrincipal(ctx), deps.wsEndpoint()),
  });

  api.route({
    method: 'post',
    path: '/api/v1/auth/password',
    access: 'authenticated',
    tags: ['auth'],
    summary: 'Change your own password',
    description: 'Needs the current password; ends every other session of the user.',
    body: ChangePasswordRequestSchema,
    responses: {
      204: { description: 'Password changed' },
      400: { description: 'Current password incorrect or new password too weak' },
      422: { description: 'New password equals the current one' },
      429: { description: 'Too many failed attempts' },
    },
    handler: async (ctx, { body }) => {
      const outcome = await auth.changeOwnPassword(
        deps,
        ctx.state.db,
        requestOrigin(ctx),
        requirePrincipal(ctx),
        body,
      );
      return outcome.ok ? undefined : new Refusal(outcome.error);
    },
  });
}
