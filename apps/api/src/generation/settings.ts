import type { TenantDb } from '@media-ai/db';

/**
 * Sets one key of Newsroom.settings in place (jsonb_set), so areas writing their own keys at the same time
 * never overwrite each other's. The statement is raw, so the newsroom is bound here explicitly.
 */
export async function setNewsroomSetting(
  db: TenantDb,
  newsroomId: string,
  key: string,
  value: unknown,
): Promise<void> {
  await db.$executeRaw`UPDATE "Newsroom"
    SET settings = jsonb_set(COALESCE(settings, '{}'::jsonb), ARRAY[${key}]::text[], ${JSON.stringify(value)}::jsonb)
    WHERE id = ${newsroomId}::uuid`;
}
