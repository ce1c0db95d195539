import type { Context } from 'koa';
import type { Permission, Role } from '@emma/protocol';
import type { RequestTransaction } from '../db/request-transaction';

/** The signed-in principal of a request, loaded fresh from the database on every request. */
export interface Principal {
  userId: string;
  email: string;
  role: Role;
  sessionId: string;
  permissions: readonly Permission[];
  /** When the access token (or, on the WebSocket, the ticket's access token) behind this principal expires. */
  tokenExpiresAt: Date;
}

export interface EmmaState {
  requestId: string;
  db: RequestTransaction;
  principal?: Principal;
  /** The enrolled agent behind an agent-authenticated request. */
  agent?: AgentPrincipal;
  /** The route template (e.g. /api/v1/users/:id) for logs and metrics. */
  routePath?: string;
}

export interface AgentPrincipal {
  agentId: string;
  status: 'pending' | 'online' | 'offline' | 'revoked';
  intervalS: number;
  rotateCredential: boolean;
}

export function requireAgent(ctx: EmmaContext): AgentPrincipal {
  const agent = ctx.state.agent;
  if (!agent) throw new Error('route used requireAgent without agent authentication');
  return agent;
}

export type EmmaContext = Context & { state: EmmaState };

export function requirePrincipal(ctx: EmmaContext): Principal {
  const principal = ctx.state.principal;
  if (!principal) throw new Error('route used requirePrincipal without authentication');
  return principal;
}

/** Who did it, from where: what the audit trail records about the request. */
export interface RequestOrigin {
  actorId: string | null;
  actorEmail: string | null;
  ip: string;
  requestId: string;
  userAgent: string | undefined;
}

export function requestOrigin(ctx: EmmaContext): RequestOrigin {
  return {
    actorId: ctx.state.principal?.userId ?? null,
    actorEmail: ctx.state.principal?.email ?? null,
    ip: ctx.ip,
    requestId: ctx.state.requestId,
    userAgent: ctx.get('user-agent') || undefined,
  };
}
