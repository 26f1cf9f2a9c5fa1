import { createHash, randomBytes } from 'node:crypto';
import type { Db, Role } from '@media-ai/db';

export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

export const MAX_RATE_LIMIT = 1_000_000;

/** Requests a minute by role when a key is created without its own limit: product apps serve readers. */
export const DEFAULT_RATE_LIMIT: Record<Role, number> = { APP: 6000, EDITOR: 1200, ADMIN: 1200 };

/** A new key: "mai_<prefix>_<secret>". Only its hash is stored; the key is shown once. */
export function generateKey(): { key: string; prefix: string; hash: string } {
  const prefix = randomBytes(4).toString('hex');
  const secret = randomBytes(24).toString('base64url');
  const key = `mai_${prefix}_${secret}`;
  return { key, prefix, hash: hashKey(key) };
}

export async function createApiClient(
  db: Db,
  input: {
    newsroomId: string;
    name: string;
    role: Role;
    webhookUrl?: string | null;
    rateLimitPerMinute?: number;
  },
) {
  const { key, prefix, hash } = generateKey();
  const client = await db.apiClient.create({
    data: {
      newsroomId: input.newsroomId,
      name: input.name,
      role: input.role,
      keyPrefix: prefix,
      keyHash: hash,
      webhookUrl: input.webhookUrl ?? null,
      webhookSecret: randomBytes(24).toString('base64url'),
      rateLimitPerMinute: input.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT[input.role],
    },
  });
  return { client, key };
}
