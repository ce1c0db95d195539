import { z } from 'zod';
import { liteFetch } from './pipeline/lite-fetch';

const RotatedSchema = z.object({ agentId: z.uuid(), credential: z.string().min(1) });

/** POST /api/v1/agents/self/credential: the server issues a new credential and forgets the old one. */
export async function rotateCredential(serverUrl: string, credential: string): Promise<string> {
  const response = await liteFetch(`${serverUrl}/api/v1/agents/self/credential`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${credential}` },
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) throw new Error(`credential rotation failed with status ${response.status}`);
  return RotatedSchema.parse(await response.json()).credential;
}
