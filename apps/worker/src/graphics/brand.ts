import type { TenantDb } from '@media-ai/db';
import { BRAND_SETTING, resolveBrand, type BrandTemplate } from '@media-ai/graphics';
import { getStorage } from '../lib/deps.js';

export interface NewsroomBrand {
  brand: BrandTemplate;
  logo: Buffer | null;
  logoAssetId: string | null;
}

/** The newsroom's brand template and logo bytes (a deleted logo asset draws no logo). */
export async function loadBrand(db: TenantDb): Promise<NewsroomBrand> {
  const newsroom = await db.newsroom.findFirst({ select: { settings: true } });
  const stored = ((newsroom?.settings ?? {}) as Record<string, unknown>)[BRAND_SETTING] as
    (Record<string, unknown> & { logoAssetId?: unknown }) | undefined;
  const brand = resolveBrand(stored);
  const logoAssetId = typeof stored?.logoAssetId === 'string' ? stored.logoAssetId : null;
  let logo: Buffer | null = null;
  if (logoAssetId) {
    const asset = await db.mediaAsset.findUnique({ where: { id: logoAssetId } });
    if (asset && (await getStorage().exists(asset.storageKey)))
      logo = await getStorage().readBuffer(asset.storageKey);
  }
  return { brand, logo, logoAssetId: logo ? logoAssetId : null };
}
