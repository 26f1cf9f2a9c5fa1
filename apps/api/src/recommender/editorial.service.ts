import { DomainError } from '@media-ai/core';
import type { EditorialRule, EditorialRuleKind, TenantDb } from '@media-ai/db';
import type { EditorialRules } from '@media-ai/recommender';
import type { EditorialWindow } from './recommender.types.js';

export interface NewRule {
  kind: EditorialRuleKind;
  contentId: string;
  position?: number;
  factor?: number;
  window?: EditorialWindow;
  createdById: string;
}

export async function createRule(db: TenantDb, rule: NewRule): Promise<EditorialRule> {
  const content = await db.contentItem.findFirst({ where: { id: rule.contentId }, select: { id: true } });
  if (!content)
    throw new DomainError('NOT_FOUND', `Content ${rule.contentId} was not found in this newsroom`);
  const { startsAt, endsAt, note } = rule.window ?? {};
  if (startsAt && endsAt && endsAt <= startsAt) {
    throw new DomainError('BAD_USER_INPUT', 'endsAt must be after startsAt');
  }
  return db.editorialRule.create({
    data: {
      contentId: rule.contentId,
      kind: rule.kind,
      position: rule.position ?? null,
      factor: rule.factor ?? null,
      startsAt: startsAt ?? null,
      endsAt: endsAt ?? null,
      note: note ?? null,
      createdById: rule.createdById,
    },
  });
}

export async function removeRule(db: TenantDb, id: string): Promise<boolean> {
  const { count } = await db.editorialRule.deleteMany({ where: { id } });
  if (!count) throw new DomainError('NOT_FOUND', `Editorial rule ${id} was not found`);
  return true;
}

const live = (r: EditorialRule, now: Date) =>
  (!r.startsAt || r.startsAt <= now) && (!r.endsAt || r.endsAt > now);

/** The rules in force now, in the recommender package's terms (embargoes: hidden until endsAt). */
export async function rulesInForce(db: TenantDb, now: Date): Promise<EditorialRules> {
  const rows = await db.editorialRule.findMany({
    where: { OR: [{ endsAt: null }, { endsAt: { gt: now } }] },
    orderBy: { createdAt: 'asc' },
  });
  const rules: Required<Pick<EditorialRules, 'pins' | 'boosts' | 'blockedItemIds' | 'embargoes'>> = {
    pins: [],
    boosts: [],
    blockedItemIds: [],
    embargoes: [],
  };
  for (const r of rows) {
    switch (r.kind) {
      case 'PIN':
        if (live(r, now)) rules.pins.push({ itemId: r.contentId, position: r.position ?? 1 });
        break;
      case 'BOOST':
        if (live(r, now)) rules.boosts.push({ itemId: r.contentId, factor: r.factor ?? 1 });
        break;
      case 'BLOCK':
        if (live(r, now)) rules.blockedItemIds.push(r.contentId);
        break;
      case 'EMBARGO':
        if (r.endsAt) rules.embargoes.push({ itemId: r.contentId, until: r.endsAt.getTime() });
        break;
    }
  }
  return rules;
}
