import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createNewsroom,
  startTestApi,
  testConfig,
  uploadAsset,
  type TestNewsroom,
} from '../../api/test/helpers/platform.js';
import { areaRoutes } from '../../api/src/routes.js';
import { dashboardRoutes, DASHBOARD_DIST } from '../../api/src/dashboard/static.js';
import { axe, launchBrowser } from './browser.js';

/*
 * The dashboard as an editor's daily tool, in Chromium against the real API and PostgreSQL (no worker:
 * nothing here runs a model): review at volume (count, pages, filters, bulk, keyboard, diff of an edit),
 * jobs in editors' terms, trust details (a wrong key, a mistyped address, focus after navigation), and
 * every page checked with axe-core (no serious or critical violation) and photographed at 1440 and 390
 * pixels wide (test-results/desk-*.png).
 */

const SHOTS = fileURLToPath(new URL('../test-results', import.meta.url));
let api: Awaited<ReturnType<typeof startTestApi>>;
let n: TestNewsroom;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
const apiErrors: string[] = [];
const dash = (p = '') => `${api.url}/dashboard/${p}`;
const gql = <T = any>(query: string, variables: Record<string, unknown> = {}) =>
  api.ok<T>(query, variables, n.keys.admin);

const axeReport: Record<string, number> = {};

beforeAll(async () => {
  if (!fs.existsSync(path.join(DASHBOARD_DIST, 'index.html')))
    throw new Error(
      'Build the dashboard first: pnpm --filter @media-ai/dashboard build (the test script does)',
    );
  fs.mkdirSync(SHOTS, { recursive: true });
  if (!areaRoutes.includes(dashboardRoutes)) areaRoutes.push(dashboardRoutes);
  api = await startTestApi(testConfig());
  n = await createNewsroom(api.db, 'Review Desk');
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('response', async (res) => {
    if (!res.url().endsWith('/graphql') || res.request().method() !== 'POST') return;
    const body = (await res.json().catch(() => null)) as {
      errors?: { message: string; extensions?: { code?: string } }[];
    } | null;
    for (const e of body?.errors ?? [])
      if (['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED'].includes(e.extensions?.code ?? ''))
        apiErrors.push(`${e.extensions?.code}: ${e.message}`);
  });
});
afterEach(() => {
  expect(apiErrors.splice(0), 'the dashboard sent documents the API refused').toEqual([]);
});
afterAll(async () => {
  console.log(`axe-core serious/critical violations per page: ${JSON.stringify(axeReport)}`);
  await browser?.close();
  await api?.close();
});

describe('the editor desk in a browser', () => {
  it('does not say a mistyped key "may have been revoked", and signs in', async () => {
    await page.goto(dash());
    await page.getByLabel('API key').fill('mai_00000000_mistyped');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Your API key was not accepted');
    expect(await page.getByText(/revoked\)?\. Sign in again|no longer accepted/).count()).toBe(0);
    await page.getByLabel('API key').fill(n.keys.editor);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Review Desk').waitFor();
  });

  it('reviews 60 generated texts: count, pages, filters, bulk accept, keyboard, an edit as a diff', async () => {
    const article = await api.db.contentItem.create({
      data: {
        newsroomId: n.id,
        title: 'Storm closes schools across the island',
        body: 'Schools across the island stay closed on Monday after the storm. Crews restore power.',
        language: 'en',
      },
    });
    const other = await api.db.contentItem.create({
      data: { newsroomId: n.id, title: 'Council passes the budget', body: 'The council passed the budget.' },
    });
    const rows = Array.from({ length: 60 }, (_, i) => ({
      newsroomId: n.id,
      contentId: i % 3 === 0 ? article.id : other.id,
      kind: (i % 2 ? 'HEADLINE' : 'SUMMARY') as 'HEADLINE' | 'SUMMARY',
      engine: i % 4 === 0 ? 'llm:test-model' : 'local:textrank',
      output: `Generated text number ${i}: schools stay closed after the storm`,
      guardrails:
        i % 10 === 0
          ? {
              passed: false,
              action: 'FLAG',
              policy: 'FLAG',
              issues: [{ kind: 'number', severity: 'warn', message: 'A number the article does not have' }],
              bannedTerms: [],
              unsupportedNumbers: ['12'],
              unsupportedEntities: [],
            }
          : {
              passed: true,
              action: 'NONE',
              policy: 'FLAG',
              issues: [],
              bannedTerms: [],
              unsupportedNumbers: [],
              unsupportedEntities: [],
            },
      createdAt: new Date(Date.now() - i * 60_000),
    }));
    await api.db.generatedItem.createMany({ data: rows });

    await page.goto(dash('review'));
    const count = page.getByTestId('review-count');
    await expect.poll(() => count.textContent()).toBe('1–25 of 60 waiting');
    await page.getByRole('button', { name: /Next 25/ }).click();
    await expect.poll(() => count.textContent()).toBe('26–50 of 60 waiting');
    await page.getByRole('button', { name: /Previous 25/ }).click();
    await expect.poll(() => count.textContent()).toBe('1–25 of 60 waiting');

    // Filters: kind, engine, flagged, article.
    await page.getByLabel('Kind').selectOption('HEADLINE');
    await expect.poll(() => count.textContent()).toBe('1–25 of 30 waiting');
    await page.getByLabel('Engine').fill('llm:test-model');
    await expect.poll(() => count.textContent()).toMatch(/of 0 |Nothing matches/);
    await page.getByLabel('Kind').selectOption('');
    await expect.poll(() => count.textContent()).toBe('1–15 of 15 waiting');
    await page.getByLabel('Engine').fill('');
    await page.getByLabel('Flagged by guardrails').check();
    await expect.poll(() => count.textContent()).toBe('1–6 of 6 waiting');
    expect(await page.locator('article.review-item .notice').count()).toBe(6);
    await page.getByLabel('Flagged by guardrails').uncheck();
    await page.getByLabel('Article').fill('Storm closes');
    await page.locator('#review-articles option').first().waitFor({ state: 'attached' });
    await page.getByLabel('Article').fill('Storm closes schools across the island');
    await expect.poll(() => count.textContent()).toBe('1–20 of 20 waiting');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.screenshot({ path: path.join(SHOTS, 'desk-review-filtered-1440.png'), fullPage: false });

    // Bulk: select the page, accept 20 at once.
    await page.getByLabel('Select all on this page').check();
    await page.getByRole('button', { name: 'Accept 20 selected' }).click();
    await expect
      .poll(() => page.locator('article.review-item[data-status="ACCEPTED"]').count(), { timeout: 30_000 })
      .toBe(20);
    await page.getByRole('button', { name: 'Any article' }).click();
    await page.reload();
    await expect.poll(() => count.textContent()).toBe('1–25 of 40 waiting');

    // Keyboard: focus the first text, j to the second, r rejects it, the focus moves on.
    const items = page.locator('article.review-item');
    await items.first().focus();
    await page.keyboard.press('j');
    await expect
      .poll(() => page.evaluate('document.activeElement?.getAttribute("aria-label")'))
      .toBe(await items.nth(1).getAttribute('aria-label'));
    await page.keyboard.press('r');
    await expect.poll(() => items.nth(1).getAttribute('data-status')).toBe('REJECTED');
    await page.keyboard.press('a');
    await expect.poll(() => items.nth(2).getAttribute('data-status')).toBe('ACCEPTED');
    // Undo takes the decision back: waiting again.
    await items.nth(2).getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => items.nth(2).getAttribute('data-status')).toBe('PENDING');

    // An edit: saved as the editor's version, shown as a diff of the model's; the article beside it.
    const third = items.nth(3);
    await third.getByRole('button', { name: 'Edit' }).click();
    await third.getByLabel('Edit the text').fill('Schools stay closed on Monday after the storm');
    await third.getByRole('button', { name: 'Save edit' }).click();
    await expect.poll(() => third.getAttribute('data-status')).toBe('EDITED');
    await third.locator('.diff del').first().waitFor();
    expect(await third.locator('.diff ins').count()).toBeGreaterThan(0);
    await third.getByRole('button', { name: 'Beside the article' }).click();
    await third.locator('.source-text').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'desk-review-diff-1440.png'), fullPage: false });
  });

  it('shows jobs by what they are about, offers Retry only where it can help, starts one from a form', async () => {
    const item = await api.db.contentItem.create({
      data: { newsroomId: n.id, title: 'Ferry timetable changes', body: 'The ferry runs hourly.' },
    });
    await api.db.job.create({
      data: {
        newsroomId: n.id,
        type: 'translate.content',
        queue: 'translate',
        status: 'FAILED',
        contentId: item.id,
        input: { payload: { contentId: item.id, targetLanguages: ['xx'] } },
        error: 'No engine translates en to xx',
        errorCode: 'BAD_USER_INPUT',
        retryable: false,
        finishedAt: new Date(),
      } as never,
    });
    await page.goto(dash('jobs'));
    const row = page.locator('tr[data-job-id]').filter({ hasText: 'Ferry timetable changes' });
    await row.waitFor();
    expect(await row.textContent()).toContain('translate.content');
    expect(await row.getByRole('button', { name: /Retry/ }).count()).toBe(0);
    expect(await row.textContent()).toContain('a retry would fail again');

    await page.getByRole('button', { name: 'Start a job' }).click();
    await page.getByLabel('What to do').selectOption('noop');
    await page.getByLabel('Steps').fill('3');
    await page.getByLabel('Seconds').fill('1');
    await page.getByRole('button', { name: 'Queue it' }).click();
    await expect.poll(() => page.locator('tr[data-job-id]').filter({ hasText: 'Test job' }).count()).toBe(1);
    // The raw JSON is still there, behind "Advanced".
    await page.getByRole('button', { name: 'Start a job' }).click();
    await page.getByText('Advanced: any job type, payload as JSON').click();
    await page.getByLabel('Payload (JSON)').waitFor();
  });

  it('shows a not-found page for an unknown address, and moves focus to the heading after navigation', async () => {
    await page.goto(dash('contnet/123'));
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
    expect(await page.getByText('There is no page at').textContent()).toContain('/dashboard/contnet/123');
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Jobs' }).click();
    await page.getByRole('heading', { name: 'Jobs' }).waitFor();
    await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('page-title');
    // No "reconnecting" badge on a page that follows nothing live once its socket closed on its own.
    await page.goto(dash('glossary'));
    await page.getByRole('heading', { name: 'Glossary & templates' }).waitFor();
    await page.waitForTimeout(1500);
    expect(await page.locator('.live.off').count()).toBe(0);
  });

  it('passes axe-core on every page at 1440 and 390 pixels wide, with a screenshot of each', async () => {
    const pages = [
      ['content', 'Content'],
      ['media', 'Media'],
      ['video', 'Video'],
      ['jobs', 'Jobs'],
      ['models', 'Models'],
      ['recommendations', 'Recommendations'],
      ['people', 'People'],
      ['glossary', 'Glossary & templates'],
      ['review', 'Review'],
      ['admin', 'Admin'],
      ['no-such-page', 'Not found'],
    ] as const;
    const failures: string[] = [];
    for (const [width, height] of [
      [1440, 900],
      [390, 844],
    ]) {
      await page.setViewportSize({ width, height });
      for (const [name, heading] of pages) {
        await page.goto(dash(name));
        await expect.poll(() => page.locator('#page-title').textContent()).toBe(heading);
        await page.waitForLoadState('networkidle');
        await page.screenshot({ path: path.join(SHOTS, `desk-${name}-${width}.png`), fullPage: true });
        const v = await axe(page);
        axeReport[`${name}@${width}`] = v.length;
        failures.push(...v.map((x) => `${name} at ${width}px: ${x}`));
        if (width === 390) {
          const overflow = await page.evaluate<number>(
            'document.documentElement.scrollWidth - window.innerWidth',
          );
          if (overflow > 1) failures.push(`${name} at 390px: scrolls sideways by ${overflow}px`);
        }
      }
    }
    expect(failures).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 860 });
  });
});

/*
 * Corrections wherever a model speaks, each checked with axe-core and photographed at 1440 and 390 pixels
 * (test-results/desk-<flow>-<width>.png): thumbnails made at upload and the grid loading only them, an
 * image's alt text, tags, OCR and faces ("not a face", "name this person"), every face on People, a
 * transcript corrected, and review in bulk (one request) with translations beside their original.
 */
describe('corrections in a browser', () => {
  // sharp comes with the API (its thumbnails); only what this test calls is typed here.
  const sharp = createRequire(new URL('../../api/package.json', import.meta.url))('sharp') as (o: {
    create: { width: number; height: number; channels: 3; background: string; noise: object };
  }) => { jpeg(o: { quality: number }): { toBuffer(): Promise<Buffer> } };
  const assetsOf = (names: string[]) =>
    api.db.mediaAsset.findMany({
      where: { newsroomId: n.id, filename: { in: names } },
      orderBy: { filename: 'asc' },
    });

  /** Screenshot, axe-core and (on a phone) no sideways scrolling, at both widths, of the page as it is. */
  async function checkBothWidths(name: string) {
    const failures: string[] = [];
    for (const [width, height] of [
      [1440, 900],
      [390, 844],
    ]) {
      await page.setViewportSize({ width, height });
      await page.waitForTimeout(150);
      await page.screenshot({ path: path.join(SHOTS, `desk-${name}-${width}.png`), fullPage: true });
      const v = await axe(page);
      axeReport[`${name}@${width}`] = v.length;
      failures.push(...v.map((x) => `${name} at ${width}px: ${x}`));
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - window.innerWidth',
      );
      if (width === 390 && overflow > 1) failures.push(`${name} at 390px: scrolls sideways by ${overflow}px`);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(failures).toEqual([]);
  }

  beforeAll(async () => {
    await page.goto(dash('media'));
    const key = page.getByLabel('API key');
    await Promise.race([key.waitFor(), page.locator('#page-title').waitFor()]);
    if (await key.isVisible()) {
      await key.fill(n.keys.editor);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('#page-title').waitFor();
    }
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('makes thumbnails at upload; the grid loads only them, small and cached', async () => {
    const names = ['harbour.jpg', 'market.jpg', 'stadium.jpg'];
    const files = await Promise.all(
      names.map(async (name, i) => ({
        name,
        mimeType: 'image/jpeg',
        buffer: await sharp({
          create: {
            width: 1400,
            height: 900,
            channels: 3,
            background: ['#2a6', '#a62', '#26a'][i],
            noise: { type: 'gaussian', mean: 128, sigma: 40 },
          },
        })
          .jpeg({ quality: 92 })
          .toBuffer(),
      })),
    );
    // Every file the page loads from the API, with its size and cache headers.
    const loaded: { url: string; bytes: number; cache: string; etag: string }[] = [];
    const onResponse = async (res: import('playwright-core').Response) => {
      const url = new URL(res.url()).pathname;
      if (!url.startsWith('/v1/assets/') || res.request().method() !== 'GET') return;
      const h = res.headers();
      const bytes = (await res.request().sizes()).responseBodySize;
      loaded.push({ url, bytes, cache: h['cache-control'] ?? '', etag: h.etag ?? '' });
    };
    page.on('response', onResponse);
    await page.goto(dash('media'));
    await page.getByLabel('Analyse after upload').uncheck();
    await page.getByLabel('Images, audio or video').setInputFiles(files);
    await expect
      .poll(() => page.getByRole('link', { name: 'Open image' }).count(), { timeout: 30_000 })
      .toBe(3);
    // Made with the upload, before the grid asked for anything.
    const assets = await assetsOf(names);
    const thumbs = await api.db.derivative.findMany({
      where: { assetId: { in: assets.map((a) => a.id) }, kind: { startsWith: 'thumb-' } },
    });
    expect(thumbs.map((t) => t.kind).sort()).toEqual([
      ...Array(3).fill('thumb-medium'),
      ...Array(3).fill('thumb-small'),
    ]);

    // The grid as it refreshed after the uploads: every file it loaded is a small thumbnail, with cache
    // headers, a few kB each instead of the megabytes of the originals.
    const tiles = () =>
      page
        .locator('ul.thumbs img')
        .evaluateAll(
          (imgs) => imgs.filter((i) => (i as unknown as { naturalWidth: number }).naturalWidth > 0).length,
        );
    const ours = (l: { url: string }) => assets.some((a) => l.url.startsWith(`/v1/assets/${a.id}/`));
    await expect.poll(tiles, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    await expect.poll(() => new Set(loaded.filter(ours).map((l) => l.url)).size, { timeout: 15_000 }).toBe(3);
    const fetched = loaded.filter(ours);
    const originals = files.reduce((s, f) => s + f.buffer.length, 0);
    console.log(
      `media grid: ${fetched.length} files, ${fetched.reduce((s, l) => s + l.bytes, 0)} bytes for 3 images whose originals are ${originals} bytes`,
    );
    expect(loaded.filter((l) => !/\/thumbnails\/small$/.test(l.url))).toEqual([]);
    expect([...new Set(fetched.map((l) => l.url))].sort()).toEqual(
      assets.map((a) => `/v1/assets/${a.id}/thumbnails/small`).sort(),
    );
    for (const l of fetched) {
      expect(l.bytes).toBeGreaterThan(0);
      expect(l.bytes).toBeLessThan(40_000);
      expect(l.cache).toMatch(/immutable/);
      expect(l.cache).toMatch(/max-age=\d{6,}/);
      expect(l.etag).toMatch(/^"\w+"$/);
    }
    // A fresh view asks for the same thumbnails again (the browser may answer from its cache), nothing else.
    loaded.length = 0;
    await page.reload();
    await expect.poll(tiles, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    await page.waitForLoadState('networkidle');
    page.off('response', onResponse);
    expect(loaded.filter((l) => !/\/thumbnails\/small$/.test(l.url))).toEqual([]);
    await checkBothWidths('media-grid');
  });

  it("edits an image's alt text (the model's kept beside it); tags merged per label; unsure tags and OCR folded", async () => {
    const [img] = await assetsOf(['harbour.jpg']);
    const analysis = (kind: string, model: string, result: object) =>
      api.db.imageAnalysis.create({
        data: { newsroomId: n.id, assetId: img.id, kind, model, modelVersion: '1', result },
      });
    await analysis('objects', 'coco-ssd', {});
    await analysis('altText', 'alt', { text: 'A person.' });
    await analysis('ocr', 'tesseract', {
      text: 'HARBOUR MASTER\n~=;j',
      confidence: 52,
      lines: [
        { text: 'HARBOUR MASTER', confidence: 91 },
        { text: '~=;j', confidence: 14 },
      ],
    });
    for (const [label, confidence, x] of [
      ['person', 0.91, 10],
      ['person', 0.82, 240],
      ['person', 0.7, 470],
      ['person', 0.44, 700],
      ['boat', 0.88, 930],
      ['parking meter', 0.21, 1160],
    ] as const)
      await api.db.assetTag.create({
        data: {
          newsroomId: n.id,
          assetId: img.id,
          label,
          confidence,
          source: 'objects',
          box: { x, y: 100, width: 200, height: 300 },
        },
      });
    await page.goto(dash(`media/${img.id}`));
    const alt = page.getByTestId('alt-text');
    await expect.poll(() => alt.locator('.alt-current').textContent(), { timeout: 15_000 }).toBe('A person.');
    await alt.getByRole('button', { name: 'Edit alt text' }).click();
    await alt.locator('textarea').fill('  Fishing boats moored in the harbour at dawn. ');
    await alt.getByRole('button', { name: 'Save alt text' }).click();
    await expect
      .poll(() => alt.locator('.alt-current').textContent())
      .toBe('Fishing boats moored in the harbour at dawn.');
    expect(await alt.textContent()).toContain('edited by an editor');
    expect(await alt.locator('.alt-model').textContent()).toBe('The model wrote: A person.');
    const stored = await gql(
      `query($id: ID!) { assetAnalysis(assetId: $id) { altText modelAltText altTextEdited } }`,
      {
        id: img.id,
      },
    );
    expect(stored.assetAnalysis).toEqual({
      altText: 'Fishing boats moored in the harbour at dawn.',
      modelAltText: 'A person.',
      altTextEdited: true,
    });

    // Tags: one per label with its count; the unsure label folded away, behind a toggle.
    const tags = page.getByTestId('tags');
    expect((await tags.locator('li').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
      'person ×4 91%',
      'boat 88%',
    ]);
    expect(await page.getByTestId('unsure-tags').count()).toBe(0);
    await page.getByRole('button', { name: /Show 1 low-confidence tag/ }).click();
    expect(await page.getByTestId('unsure-tags').textContent()).toContain('parking meter');
    // OCR: the readable line shown, the noise folded away.
    expect(await page.getByTestId('ocr').textContent()).toContain('HARBOUR MASTER');
    expect(await page.getByText('~=;j').count()).toBe(0);
    await page.getByRole('button', { name: /Show 1 low-confidence line/ }).click();
    expect(await page.getByTestId('ocr-noise').textContent()).toContain('~=;j');
    await checkBothWidths('image-corrections');

    // Back to the model's version.
    await alt.getByRole('button', { name: "Back to the model's alt text" }).click();
    await expect.poll(() => alt.locator('.alt-current').textContent(), { timeout: 15_000 }).toBe('A person.');
  });

  it('marks a detection "not a face" and names a face outside any group, on the image and on People', async () => {
    const [harbour, market] = await assetsOf(['harbour.jpg', 'market.jpg']);
    await api.db.imageAnalysis.create({
      data: {
        newsroomId: n.id,
        assetId: harbour.id,
        kind: 'faces',
        model: 'face-api',
        modelVersion: '1',
        result: {},
      },
    });
    await api.db.imageAnalysis.create({
      data: {
        newsroomId: n.id,
        assetId: market.id,
        kind: 'faces',
        model: 'face-api',
        modelVersion: '1',
        result: {},
      },
    });
    const face = (assetId: string, x: number, clusterId: string | null, age?: number) =>
      api.db.face.create({
        data: {
          newsroomId: n.id,
          assetId,
          box: { x, y: 200, width: 160, height: 160 },
          descriptor: Buffer.alloc(512),
          detectionScore: 0.7,
          age,
          clusterId,
          model: 'face-api@1',
        },
      });
    const dog = await face(harbour.id, 100, null, 51);
    const loner = await face(harbour.id, 700, null);
    const grouped = [await face(harbour.id, 1200, 'desk-group'), await face(market.id, 300, 'desk-group')];
    const stranger = await face(market.id, 900, null);
    const poster = await face(market.id, 1150, null);

    // On the image: the dog is not a face; the face outside any group gets a name.
    await page.goto(dash(`media/${harbour.id}`));
    const row = (f: { id: string }) => page.locator(`[data-face-id="${f.id}"]`);
    await row(dog)
      .getByRole('button', { name: /^Not a face/ })
      .click();
    await expect
      .poll(() => row(dog).locator('strong').first().textContent(), { timeout: 15_000 })
      .toBe('Not a face');
    expect(await row(dog).textContent()).toContain('Marked by an editor.');
    expect(
      await row(dog)
        .getByRole('button', { name: /It is a face/ })
        .count(),
    ).toBe(1);
    await row(loner)
      .getByRole('button', { name: /^Name this person/ })
      .click();
    await row(loner).getByLabel('Name', { exact: true }).fill('Ada Colau');
    await row(loner).getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => row(loner).locator('strong').first().textContent(), { timeout: 15_000 })
      .toBe('Ada Colau');
    await checkBothWidths('image-faces');
    const after = await api.db.face.findMany({
      where: { id: { in: [dog.id, loner.id] } },
      include: { person: true },
    });
    expect(after.find((f) => f.id === dog.id)).toMatchObject({ notAFace: true, personId: null });
    expect(after.find((f) => f.id === loner.id)).toMatchObject({
      assignment: 'confirmed',
      person: { name: 'Ada Colau' },
    });

    // On People: a face outside any group named there, a poster dismissed, one face taken out of a group.
    await page.goto(dash('people'));
    const tile = (f: { id: string }) => page.locator(`li[data-face-id="${f.id}"]`);
    await tile(stranger).waitFor();
    expect(await page.getByTestId('unassigned-faces').locator('li[data-face-id]').count()).toBe(2);
    await tile(stranger)
      .getByRole('button', { name: /^Name this person/ })
      .click();
    await tile(stranger).getByLabel('Name', { exact: true }).waitFor();
    await checkBothWidths('people-faces');
    await tile(stranger).getByLabel('Name', { exact: true }).fill('Jordi Puig');
    await tile(stranger).getByRole('button', { name: 'Save' }).click();
    await page.locator('article.card').filter({ hasText: 'Jordi Puig' }).waitFor();
    await tile(poster)
      .getByRole('button', { name: /^Not a face/ })
      .click();
    await expect.poll(() => page.getByTestId('unassigned-faces').count(), { timeout: 15_000 }).toBe(0);
    const group = page.getByRole('form', { name: 'Group of 2 faces' });
    await group.waitFor();
    await tile(grouped[0])
      .getByRole('button', { name: /^Not a face/ })
      .click();
    await page.getByRole('form', { name: 'Group of 1 faces' }).waitFor();
    const rows = await api.db.face.findMany({
      where: { id: { in: [stranger.id, poster.id, grouped[0].id] } },
      include: { person: true },
    });
    expect(rows.find((f) => f.id === stranger.id)?.person?.name).toBe('Jordi Puig');
    expect(rows.find((f) => f.id === poster.id)?.notAFace).toBe(true);
    expect(rows.find((f) => f.id === grouped[0].id)).toMatchObject({ notAFace: true, clusterId: null });
  });

  it("corrects a transcript in the page, the model's version kept for comparison", async () => {
    // One second of silence as a WAV file, so the player has something to load.
    const pcm = Buffer.alloc(16_000 * 2);
    const wav = Buffer.alloc(44);
    wav.write('RIFF', 0);
    wav.writeUInt32LE(36 + pcm.length, 4);
    wav.write('WAVEfmt ', 8);
    wav.writeUInt32LE(16, 16);
    wav.writeUInt16LE(1, 20);
    wav.writeUInt16LE(1, 22);
    wav.writeUInt32LE(16_000, 24);
    wav.writeUInt32LE(32_000, 28);
    wav.writeUInt16LE(2, 32);
    wav.writeUInt16LE(16, 34);
    wav.write('data', 36);
    wav.writeUInt32LE(pcm.length, 40);
    const id = await uploadAsset(api, n.keys.editor, Buffer.concat([wav, pcm]), 'council.wav');
    const words = (text: string, start: number, end: number) =>
      text.split(' ').map((word, i, all) => ({
        word,
        start: start + ((end - start) * i) / all.length,
        end: start + ((end - start) * (i + 1)) / all.length,
        confidence: 0.5,
      }));
    const transcript = await api.db.transcript.create({
      data: {
        newsroomId: n.id,
        assetId: id,
        engine: 'pocketsphinx',
        text: 'the mayor of bark a loner spoke on monday',
        segments: [
          {
            start: 0,
            end: 2,
            text: 'the mayor of bark a loner',
            confidence: 0.6,
            words: words('the mayor of bark a loner', 0, 2),
          },
          {
            start: 2.5,
            end: 4,
            text: 'spoke on monday',
            confidence: 0.9,
            words: words('spoke on monday', 2.5, 4),
          },
        ],
        durationSec: 4,
      },
    });
    await page.goto(dash(`media/${id}`));
    const shown = page.getByTestId('transcript');
    await expect.poll(() => shown.textContent(), { timeout: 15_000 }).toContain('bark');
    await page.getByRole('button', { name: 'Correct the transcript' }).click();
    const form = page.getByRole('form', { name: 'Correct the transcript' });
    await form.getByLabel('00:00–00:02').fill('the mayor of Barcelona');
    await form.getByRole('button', { name: 'Save corrections' }).click();
    await expect.poll(() => shown.textContent(), { timeout: 15_000 }).toContain('Barcelona');
    expect(await shown.textContent()).not.toContain('bark');
    await page.getByText(/Corrected by an editor .*: what the model heard/).click();
    expect(await page.locator('.diff del').allTextContents()).toContain('bark a loner');
    await page.getByRole('button', { name: 'Correct the transcript' }).click();
    expect(await form.textContent()).toContain('The model heard: the mayor of bark a loner');
    await checkBothWidths('transcript-correction');
    await form.getByRole('button', { name: 'Cancel' }).click();
    const row = await api.db.transcript.findUniqueOrThrow({ where: { id: transcript.id } });
    expect(row.editedText).toBe('the mayor of Barcelona spoke on monday');
    expect(row.text).toBe('the mayor of bark a loner spoke on monday');
  });

  it('reviews translations beside their original, and rejects a page of them in one request', async () => {
    const original = await api.db.contentItem.create({
      data: {
        newsroomId: n.id,
        title: 'Airport expands its runway',
        body: 'The airport adds a second runway.\n\nPlanes will land from the sea side.',
        language: 'en',
      },
    });
    const translation = (i: number) => ({
      newsroomId: n.id,
      contentId: original.id,
      kind: 'TRANSLATION' as const,
      engine: 'translate:apertium',
      engineVersion: 'apertium',
      input: { operation: 'translate', targetLanguage: 'es', sourceLanguage: 'en' },
      output: `El aeropuerto añade una segunda pista.\n\nLos planos aterrizarán por el lado del mar ${i}.`,
      outputData: {
        language: 'es',
        sourceLanguage: 'en',
        format: 'text',
        title: `El aeropuerto amplía su pista ${i}`,
        summary: null,
        body: `El aeropuerto añade una segunda pista.\n\nLos planos aterrizarán por el lado del mar ${i}.`,
      },
      createdAt: new Date(Date.now() + 60_000 - i * 1000),
    });
    await api.db.generatedItem.createMany({ data: Array.from({ length: 8 }, (_, i) => translation(i)) });
    await page.goto(dash('review?kind=TRANSLATION'));
    const count = page.getByTestId('review-count');
    await expect.poll(() => count.textContent(), { timeout: 15_000 }).toBe('1–8 of 8 waiting');
    const first = page.locator('article.review-item').first();
    const beside = first.getByTestId('translation-beside');
    await beside.waitFor();
    // Paragraph by paragraph: "planes" beside "planos" is there to be seen.
    const cells = await beside.locator('tbody tr').nth(2).locator('td').allTextContents();
    expect(cells).toEqual([
      'Planes will land from the sea side.',
      'Los planos aterrizarán por el lado del mar 0.',
    ]);
    expect(await beside.locator('th').allTextContents()).toEqual(['Original (en)', 'Translation (es)']);

    // Accepting one writes the linked translated item.
    await first.getByRole('button', { name: 'Accept: apply translation' }).click();
    await expect.poll(() => first.getAttribute('data-status'), { timeout: 15_000 }).toBe('ACCEPTED');
    await first.getByText('Applied to').waitFor();
    const linked = await api.db.contentItem.findFirstOrThrow({
      where: { originalId: original.id, language: 'es' },
    });
    expect(linked.title).toBe('El aeropuerto amplía su pista 0');

    // The rest of the page rejected in bulk: one request, not one per text.
    const bulkBodies: string[] = [];
    const onRequest = (req: import('playwright-core').Request) => {
      const body = req.postData() ?? '';
      if (req.url().endsWith('/graphql') && /reviewGeneratedItems?\(/.test(body)) bulkBodies.push(body);
    };
    page.on('request', onRequest);
    await page.getByLabel('Select all on this page').check();
    // Another editor decides one of them meanwhile: it is reported, and the other six go ahead.
    const last = await page.locator('article.review-item').last().getAttribute('data-id');
    await gql(`mutation($id: ID!) { reviewGeneratedItem(id: $id, decision: ACCEPT) { id } }`, { id: last });
    await page.getByRole('button', { name: 'Reject 7 selected' }).click();
    await expect
      .poll(() => page.locator('article.review-item[data-status="REJECTED"]').count(), { timeout: 15_000 })
      .toBe(6);
    expect(await page.getByRole('alert').textContent()).toMatch(/^1 of 7 could not be decided: /);
    page.off('request', onRequest);
    expect(bulkBodies).toHaveLength(1);
    expect(bulkBodies[0]).toContain('reviewGeneratedItems(');
    expect(JSON.parse(bulkBodies[0]).variables.ids).toHaveLength(7);
    await checkBothWidths('review-translations');
  });
});
