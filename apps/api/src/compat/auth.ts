import type { Response } from 'express';
import { DomainError, isDomainError } from '@media-ai/core';
import type { TenantDb } from '@media-ai/db';
import type { AuthedClient } from '../common/context.js';
import type { Services } from '../common/services.js';

export interface CompatCaller {
  client: AuthedClient;
  db: TenantDb;
}

/**
 * The caller of a compatible endpoint, with the platform's keys, roles and per-key rate limit: the key
 * comes as `Authorization: Bearer <key>` (OpenAI clients) or in the request's own field (LibreTranslate's
 * `api_key`). A missing or wrong key counts against the address's anonymous allowance, as on GraphQL.
 */
export async function compatCaller(
  services: Services,
  opts: {
    authorization: string | undefined;
    /** A key sent in the body or the query string (LibreTranslate's api_key). */
    bodyKey?: string | null;
    ip: string;
    res: Response;
    roles: readonly string[];
    /** How to send a key, for the error message. */
    howToSendKey: string;
  },
): Promise<CompatCaller> {
  const { auth } = services;
  const header = opts.authorization ?? (opts.bodyKey ? `Bearer ${opts.bodyKey}` : undefined);
  let client: AuthedClient | null;
  try {
    client = await auth.authenticate(header);
  } catch (e) {
    if (isDomainError(e) && e.code === 'UNAUTHENTICATED') await auth.rateLimitAnonymous(opts.ip, opts.res);
    throw e;
  }
  if (!client) {
    await auth.rateLimitAnonymous(opts.ip, opts.res);
    throw new DomainError('UNAUTHENTICATED', `Send an API key of this platform: ${opts.howToSendKey}`, {
      missingKey: true,
    });
  }
  if (!opts.roles.includes(client.role))
    throw new DomainError(
      'FORBIDDEN',
      `This needs an API key with the ${opts.roles.join(' or ')} role; this key is ${client.role}`,
    );
  await auth.rateLimit(client, opts.res);
  return { client, db: services.tenantDb(client.newsroomId) };
}
