import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import {
  createPrisma,
  createSqlPool,
  forNewsroom,
  migrateDatabase,
  TenantSql,
  type Db,
} from '../src/index.js';

const url = process.env.TEST_DATABASE_URL ?? 'postgresql://root@127.0.0.1:5432/mediaai_test';
let db: Db;
let a: string;
let b: string;

beforeAll(async () => {
  await migrateDatabase(url);
  db = createPrisma(url, { poolSize: 2 });
  const mk = (s: string) =>
    db.newsroom.create({ data: { slug: `${s}-${randomBytes(4).toString('hex')}`, name: s } });
  a = (await mk('tenant-a')).id;
  b = (await mk('tenant-b')).id;
}, 120_000);
afterAll(async () => db?.$disconnect());

describe('tenant-scoped client', () => {
  it('stamps creates with its newsroom and hides other newsrooms from every read, update and delete', async () => {
    const ta = forNewsroom(db, a);
    const tb = forNewsroom(db, b);
    const item = await ta.contentItem.create({ data: { title: 'Only for A' } });
    expect(item.newsroomId).toBe(a);
    expect(await tb.contentItem.findUnique({ where: { id: item.id } })).toBeNull();
    expect(await tb.contentItem.count()).toBe(0);
    expect((await tb.contentItem.updateMany({ where: { id: item.id }, data: { title: 'x' } })).count).toBe(0);
    expect((await tb.contentItem.deleteMany({ where: { id: item.id } })).count).toBe(0);
    await expect(tb.contentItem.update({ where: { id: item.id }, data: { title: 'x' } })).rejects.toThrow();
    expect((await ta.contentItem.findUniqueOrThrow({ where: { id: item.id } })).title).toBe('Only for A');
  });

  it('refuses to write a record into another newsroom', async () => {
    const ta = forNewsroom(db, a);
    await expect(
      // @ts-expect-error a tenant create cannot name a newsroom (and is refused at run time too)
      ta.contentItem.create({ data: { title: 'sneaky', newsroomId: b } }),
    ).rejects.toThrow(/another newsroom/);
    await expect(ta.newsroom.findMany()).rejects.toThrow(/not allowed/);
    expect((await ta.newsroom.findUnique({ where: { id: b } }))?.id).toBe(a);
  });
});

describe('tenant-scoped client types', () => {
  it('take create inputs without newsroomId, in transactions too, and keep selected result types', async () => {
    const ta = forNewsroom(db, a);
    const person = await ta.person.create({ data: { name: 'typed' }, select: { id: true } });
    const id: string = person.id;
    // @ts-expect-error only the selected fields are in the result
    expect(person.name).toBeUndefined();
    const counted = await ta.$transaction(async (tx) => {
      // @ts-expect-error not in a transaction either
      const data = { name: 'in-tx', newsroomId: a } satisfies Parameters<typeof tx.person.create>[0]['data'];
      await tx.person.createMany({ data: [{ name: data.name }] });
      return tx.person.count({ where: { name: { in: ['typed', 'in-tx'] } } });
    });
    const [count, people] = await ta.$transaction([ta.person.count(), ta.person.findMany({ where: { id } })]);
    expect(counted).toBe(2);
    expect(count).toBe(2);
    expect(people.map((p) => p.name)).toEqual(['typed']);
  });
});

describe('tenant statements over node-postgres', () => {
  it('reads rows as Prisma does (timestamps in UTC, uuids and enums as strings) and always binds the newsroom', async () => {
    const pool = createSqlPool(url, { max: 1 });
    try {
      const at = new Date(Date.UTC(2026, 2, 1, 10, 0, 0, 123));
      const item = await forNewsroom(db, a).contentItem.create({
        data: { title: 'Through SQL', publishedAt: at, tags: ['x', 'y'], status: 'PUBLISHED' },
      });
      const sqlA = new TenantSql(pool, a);
      const [row] = await sqlA.rows<Record<string, unknown>>(
        'SELECT * FROM "ContentItem" WHERE "newsroomId" = $1 AND "id" = $2::uuid',
        [item.id],
      );
      const viaPrisma = await db.contentItem.findUniqueOrThrow({ where: { id: item.id } });
      expect(row).toEqual(viaPrisma);
      expect((row!.publishedAt as Date).toISOString()).toBe('2026-03-01T10:00:00.123Z');
      // Another newsroom's statement does not see it.
      expect(
        await new TenantSql(pool, b).rows(
          'SELECT 1 FROM "ContentItem" WHERE "newsroomId" = $1 AND "id" = $2::uuid',
          [item.id],
        ),
      ).toEqual([]);
      // A statement that does not filter on its newsroom is refused before it runs.
      await expect(sqlA.rows('SELECT count(*) FROM "ContentItem"')).rejects.toThrow(/newsroom/);
    } finally {
      await pool.end();
    }
  });
});
