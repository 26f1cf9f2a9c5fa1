import { FONT_FAMILIES, FONT_FAMILY_NAMES } from './fonts.js';

/** A newsroom's look for generated graphics (stored per newsroom; the logo is one of its image assets). */
export interface BrandTemplate {
  /** Headline font family (one of FONT_FAMILY_NAMES). */
  headlineFont: string;
  /** Quote, byline and chart text. */
  textFont: string;
  /** Headline and quote colour, #rrggbb. */
  textColor: string;
  /** Accent bar, byline and first chart series, #rrggbb. */
  accentColor: string;
  /** Card background without a photo, the shade under the text, chart background: #rrggbb. */
  backgroundColor: string;
  /** How dark the shade under the text gets at the bottom, 0 to 1. */
  shadeOpacity: number;
  /** Headlines set in capitals. */
  uppercaseHeadline: boolean;
  logoPosition: 'top-left' | 'top-right';
  /** Chart series colours after the accent, #rrggbb. */
  palette: string[];
}

export const DEFAULT_BRAND: BrandTemplate = {
  headlineFont: 'DejaVu Sans',
  textFont: 'DejaVu Sans',
  textColor: '#ffffff',
  accentColor: '#e4002b',
  backgroundColor: '#101820',
  shadeOpacity: 0.85,
  uppercaseHeadline: false,
  logoPosition: 'top-left',
  palette: ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b'],
};

const HEX = /^#[0-9a-f]{6}$/i;

/** Problems of a (partial) brand template, each naming the field and what to write. */
export function brandProblems(input: Partial<BrandTemplate>): string[] {
  const problems: string[] = [];
  for (const key of ['headlineFont', 'textFont'] as const) {
    const v = input[key];
    if (v !== undefined && !FONT_FAMILIES[v])
      problems.push(
        `${key}: "${v}" is not an installed family; choose one of ${FONT_FAMILY_NAMES.join(', ')}`,
      );
  }
  for (const key of ['textColor', 'accentColor', 'backgroundColor'] as const) {
    const v = input[key];
    if (v !== undefined && !HEX.test(v)) problems.push(`${key}: "${v}" is not a colour like #e4002b`);
  }
  if (input.shadeOpacity !== undefined && !(input.shadeOpacity >= 0 && input.shadeOpacity <= 1))
    problems.push('shadeOpacity: must be between 0 and 1');
  if (input.logoPosition !== undefined && !['top-left', 'top-right'].includes(input.logoPosition))
    problems.push('logoPosition: must be top-left or top-right');
  if (input.uppercaseHeadline !== undefined && typeof input.uppercaseHeadline !== 'boolean')
    problems.push('uppercaseHeadline: must be true or false');
  if (input.palette !== undefined && !Array.isArray(input.palette))
    problems.push('palette: must be a list of colours like #1f77b4');
  else if (input.palette !== undefined) {
    if (input.palette.length > 12) problems.push('palette: at most 12 colours');
    input.palette.forEach((c, i) => {
      if (!HEX.test(c)) problems.push(`palette[${i}]: "${c}" is not a colour like #1f77b4`);
    });
  }
  return problems;
}

/** The default template with the stored fields laid over it (fields that fail the checks are ignored). */
export function resolveBrand(stored: unknown): BrandTemplate {
  if (!stored || typeof stored !== 'object') return DEFAULT_BRAND;
  const out: BrandTemplate = { ...DEFAULT_BRAND };
  for (const key of Object.keys(DEFAULT_BRAND) as (keyof BrandTemplate)[]) {
    const value = (stored as Record<string, unknown>)[key];
    if (value === undefined || value === null) continue;
    if (brandProblems({ [key]: value } as Partial<BrandTemplate>).length === 0)
      (out as unknown as Record<string, unknown>)[key] = value;
  }
  return out;
}

/** Newsroom.settings key of the brand template ({...BrandTemplate fields, logoAssetId}); API and worker share it. */
export const BRAND_SETTING = 'brandTemplate';
