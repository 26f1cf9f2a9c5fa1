import type { Db } from '@media-ai/db';

/**
 * Sets one key of Newsroom.settings in place (jsonb_set), so areas writing their own keys at the same time
 * never overwrite each other's.
 */
export async function setNewsroomSetting(
  db: Db,
  newsroomId: string,
  key: string,
  value: unknown,
): Promise<void> {
  await db.$executeRaw`UPDATE "Newsroom"
    SET settings = jsonb_set(COALESCE(settings, '{}'::jsonb), ARRAY[${key}]::text[], ${JSON.stringify(value)}::jsonb)
    WHERE id = ${newsroomId}::uuid`;
}
