import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createNewsroom,
  silentLog,
  startTestApi,
  testConfig,
  uploadAsset,
  type TestNewsroom,
} from '../../api/test/helpers/platform.js';
import { areaRoutes } from '../../api/src/routes.js';
import { dashboardRoutes, DASHBOARD_DIST } from '../../api/src/dashboard/static.js';
import { startWorker, type WorkerRuntime } from '../../worker/src/index.js';
import { sharedDataDir } from '../../../packages/core/src/index.js';
import { makeVideo, runFfmpeg } from '../../../packages/video/src/index.js';
import { axe, launchBrowser } from './browser.js';

/*
 * End to end in a real browser: the API (serving the built dashboard at /dashboard, as routes.ts
 * mounts it) and an in-process worker against the real PostgreSQL and Redis, driven by Debian's
 * chromium. Screenshots go to apps/dashboard/test-results/.
 */

const SHOTS = fileURLToPath(new URL('../test-results', import.meta.url));
const config = testConfig({
  WORKER_QUEUES: 'platform:1,vision:1,translate:1,content:1,speech:1,recommender:1,video:1',
});
let api: Awaited<ReturnType<typeof startTestApi>>;
let worker: WorkerRuntime;
let n: TestNewsroom;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
/** GraphQL errors the API answered the browser with, other than the ones a test provokes on purpose. */
const apiErrors: string[] = [];

const gql = async <T = any>(query: string, variables: Record<string, unknown> = {}) =>
  api.ok<T>(query, variables, n.keys.admin);
const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
const dash = (p = '') => `${api.url}/dashboard/${p}`;

beforeAll(async () => {
  if (!fs.existsSync(path.join(DASHBOARD_DIST, 'index.html')))
    throw new Error(
      'Build the dashboard first: pnpm --filter @media-ai/dashboard build (the test script does)',
    );
  fs.mkdirSync(SHOTS, { recursive: true });
  if (!areaRoutes.includes(dashboardRoutes)) areaRoutes.push(dashboardRoutes);
  api = await startTestApi(config);
  n = await createNewsroom(api.db, 'Dashboard Desk');
  worker = await startWorker(config, silentLog());
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.setDefaultTimeout(15_000);
  // A document the API does not accept (an operation or field that disappeared) fails the test that sent it.
  page.on('response', async (res) => {
    if (!res.url().endsWith('/graphql') || res.request().method() !== 'POST') return;
    const body = (await res.json().catch(() => null)) as {
      errors?: { message: string; extensions?: { code?: string } }[];
    } | null;
    for (const e of body?.errors ?? [])
      if (
        ['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_REQUEST'].includes(
          e.extensions?.code ?? '',
        )
      )
        apiErrors.push(`${e.extensions?.code}: ${e.message}`);
  });
});
afterEach(() => {
  const seen = apiErrors.splice(0);
  expect(seen, 'the dashboard sent documents the API refused').toEqual([]);
});
afterAll(async () => {
  await browser?.close();
  await worker?.close(1000);
  await api?.close();
});

/** Every visible form control has a label a screen reader announces. */
async function unlabelled(p: Page): Promise<string[]> {
  return p.evaluate(`[...document.querySelectorAll('input, select, textarea, button')]
    .filter((el) => el.offsetParent !== null && el.type !== 'hidden')
    .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')) && !(el.tagName === 'BUTTON' && el.textContent.trim()))
    .map((el) => el.outerHTML.slice(0, 120))`);
}

describe('the dashboard in a browser', () => {
  it('loads fast, refuses a bad key in words, and signs in with a good one', async () => {
    const res = await page.goto(dash(), { waitUntil: 'load' });
    expect(res?.status()).toBe(200);
    await page.getByLabel('API key').waitFor();
    const timing = await page.evaluate<{
      domContentLoadedMs: number;
      loadMs: number;
      transferredBytes: number;
      decodedBytes: number;
    }>(`(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const resources = performance.getEntriesByType('resource');
      return {
        domContentLoadedMs: Math.round(nav.domContentLoadedEventEnd),
        loadMs: Math.round(nav.loadEventEnd),
        transferredBytes: nav.transferSize + resources.reduce((s, r) => s + r.transferSize, 0),
        decodedBytes: nav.decodedBodySize + resources.reduce((s, r) => s + r.decodedBodySize, 0),
      };
    })()`);
    console.log(`first load (login page, cold cache, local API): ${JSON.stringify(timing)}`);
    expect(timing.loadMs).toBeLessThan(3000);
    await page.keyboard.press('Tab');
    await shot('01-login');

    await page.getByLabel('API key').fill('mai_00000000_not-a-real-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Your API key was not accepted');

    await page.getByLabel('API key').fill(n.keys.admin);
    // Sign-in asks for who the key belongs to, not for the schema (the documents are typed at build time).
    const asked: string[] = [];
    const onRequest = (r: import('playwright-core').Request) =>
      r.url().endsWith('/graphql') && asked.push(r.postData() ?? '');
    page.on('request', onRequest);
    const t0 = Date.now();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Dashboard Desk').waitFor();
    await page.getByRole('heading', { name: 'Content' }).waitFor();
    console.log(`sign-in to content page: ${Date.now() - t0} ms, ${asked.length} GraphQL requests`);
    page.off('request', onRequest);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.filter((b) => b.includes('__schema') || b.includes('__type'))).toEqual([]);
    expect(await unlabelled(page)).toEqual([]);
  });

  it('lists, searches and filters content, and opens an item', async () => {
    for (const [title, status] of [
      ['Hurricane Maria makes landfall in Puerto Rico', 'PUBLISHED'],
      ['City council approves the new budget', 'DRAFT'],
      ['Hurricane season outlook for the Atlantic', 'DRAFT'],
    ]) {
      await gql(`mutation($i: ContentInput!) { createContent(input: $i) { id } }`, {
        i: {
          title,
          status,
          language: 'en',
          body: `${title}. The storm brought heavy rain and strong winds to the island. Officials said schools would stay closed on Monday while crews restore power.`,
        },
      });
    }
    await page.goto(dash('content'));
    await page.getByRole('link', { name: 'City council approves the new budget' }).waitFor();
    await page.getByLabel('Search title and text').fill('hurricane');
    await expect.poll(() => page.locator('table.list tbody tr').count()).toBe(2);
    await page.getByLabel('Status').selectOption('PUBLISHED');
    await expect.poll(() => page.locator('table.list tbody tr').count()).toBe(1);
    await shot('02-content-list');
    await page.getByRole('link', { name: 'Hurricane Maria makes landfall in Puerto Rico' }).click();
    await page.getByRole('heading', { name: 'AI actions' }).waitFor();
    await shot('03-content-item');
    expect(await unlabelled(page)).toEqual([]);
  });

  it('generates a summary with the engine shown, and accepts it', async () => {
    await page.getByRole('button', { name: 'Summarise' }).click();
    const card = page.locator('article.gen-item').first();
    await card.waitFor({ timeout: 120_000 });
    await expect.poll(() => card.locator('.engine').count()).toBeGreaterThan(0);
    await card.getByRole('button', { name: 'Accept' }).click();
    await expect
      .poll(() => card.locator('.badge').first().textContent(), { timeout: 30_000 })
      .toMatch(/accepted/i);
    await shot('04-summary-accepted');
    // Accepting a summary writes it to the item.
    await page.reload();
    await page.getByRole('heading', { name: 'Summary', exact: true }).waitFor();
  });

  it('uploads an image with a progress bar and shows its analysis: tags with boxes', async (ctx) => {
    await page.goto(dash('media'));
    const input = page.getByLabel('Images, audio or video');
    await input.waitFor();
    const coco = sharedDataDir('vision/coco');
    const file = coco ? path.join(coco, 'dog.jpg') : null;
    if (!file) {
      console.log('dashboard.test: image analysis skipped: no real photo under ../shared/data/vision/coco');
      ctx.skip();
      return;
    }
    await input.setInputFiles(file);
    await page.getByRole('link', { name: 'Open image' }).waitFor();
    await shot('05-upload');
    await page.getByRole('link', { name: 'Open image' }).click();
    await page.getByRole('heading', { name: 'What the models found' }).waitFor();
    // The analysis queued at upload runs in the worker; the page follows it live and then shows its findings.
    const tags = page.getByTestId('tags');
    await tags.waitFor({ timeout: 240_000 });
    expect(await tags.textContent()).toMatch(/dog/);
    expect(await page.getByTestId('boxes').locator('rect').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="analysis"] .engine').count()).toBeGreaterThan(0);
    await shot('06-image-analysis');
  });

  it('groups unknown faces from two photos, and names the group', async (ctx) => {
    const faces = sharedDataDir('vision/faces');
    if (!faces) {
      console.log('dashboard.test: naming faces skipped: no photos under ../shared/data/vision/faces');
      ctx.skip();
      return;
    }
    await page.goto(dash('media'));
    await page
      .getByLabel('Images, audio or video')
      .setInputFiles([path.join(faces, 'train__obama__obama.jpg'), path.join(faces, 'test__obama1.jpg')]);
    await expect.poll(() => page.locator('.upload-row .b-completed').count(), { timeout: 180_000 }).toBe(2);
    await page.goto(dash('people'));
    const group = page.getByRole('form', { name: /Group of \d+ faces/ }).first();
    await group.waitFor({ timeout: 30_000 });
    await expect.poll(() => group.locator('.face-crop img').count()).toBeGreaterThanOrEqual(2);
    await shot('07a-face-groups');
    await group.getByLabel('Name', { exact: true }).fill('Barack Obama');
    await group.getByRole('button', { name: 'Name this group' }).click();
    const person = page.locator('article.card').filter({ hasText: 'Barack Obama' });
    await person.waitFor();
    expect(await person.textContent()).toMatch(/[2-9] faces/);
  });

  it('refuses a text file as an upload, saying why and what to do', async () => {
    await page.goto(dash('media'));
    const txt = path.join(os.tmpdir(), 'notes-for-the-desk.txt');
    fs.writeFileSync(txt, 'This is not a picture, just some notes for the news desk.\n'.repeat(20));
    await page.getByLabel('Images, audio or video').setInputFiles(txt);
    const alert = page.getByRole('alert').filter({ hasText: 'notes-for-the-desk.txt' });
    await alert.waitFor();
    const text = await alert.textContent();
    expect(text).toContain('is not an image, audio or video file we recognise');
    expect(text).toContain('Upload an image, audio or video file');
    expect(text).toContain('UNSUPPORTED_MEDIA_TYPE');
    await shot('07-bad-upload');
  });

  it('starts a job and shows its progress bar moving live until it completes', async () => {
    await page.goto(dash('jobs?type=platform.noop'));
    await page.getByText('0 jobs').waitFor();
    await page.getByRole('button', { name: 'Start a job' }).click();
    await page.getByLabel('What to do').selectOption('noop');
    await page.getByLabel('Steps').fill('10');
    await page.getByLabel('Seconds').fill('6');
    await page.getByRole('button', { name: 'Queue it' }).click();
    const row = page.locator('tr[data-job-id]');
    await expect.poll(() => row.count()).toBe(1);
    const bar = row.getByRole('progressbar');
    const seen = new Set<number>();
    const end = Date.now() + 30_000;
    while (Date.now() < end) {
      const status = await row.getAttribute('data-status');
      seen.add(Number(await bar.getAttribute('aria-valuenow')));
      if (seen.size === 3) await shot('08-jobs-progress');
      if (status === 'COMPLETED') break;
      await page.waitForTimeout(150);
    }
    expect(await row.getAttribute('data-status')).toBe('COMPLETED');
    const partial = [...seen].filter((v) => v > 0 && v < 100);
    console.log(`progress values seen in the browser: ${[...seen].sort((a, b) => a - b).join(', ')}`);
    expect(partial.length).toBeGreaterThanOrEqual(2);
    expect(await bar.getAttribute('aria-valuenow')).toBe('100');
  });

  it('shows a failed job with its error, and retries it', async () => {
    await gql(`mutation { enqueueJob(input: { type: "platform.noop", payload: { failTimes: 5 } }) { id } }`);
    await page.goto(dash('jobs?status=FAILED'));
    const failed = page.locator('tr[data-status="FAILED"]').first();
    await failed.waitFor({ timeout: 60_000 });
    expect(await failed.textContent()).toContain('Failing on purpose');
    await shot('09-jobs-failed');
    await failed.getByRole('button', { name: /Retry/ }).click();
    await expect
      .poll(() => page.locator('tr[data-job-id]').first().getAttribute('data-status'), { timeout: 30_000 })
      .not.toBe('FAILED');
  });

  it('shows the model registry with a metrics chart and a training history chart', async () => {
    const now = Date.now();
    for (const [version, ndcg, status] of [
      [1, 0.21, 'RETIRED'],
      [2, 0.27, 'ACTIVE'],
      [3, 0.25, 'CANDIDATE'],
    ] as const) {
      await api.db.modelVersion.create({
        data: {
          newsroomId: n.id,
          area: 'recommender',
          name: 'recommender',
          version,
          algorithm: 'bpr',
          status,
          metrics: { 'ndcg@10': ndcg, 'precision@10': ndcg / 2 },
          history: Array.from({ length: 8 }, (_, e) => ({
            epoch: e + 1,
            loss: 0.7 * Math.exp(-e / (2 + version)) + 0.05,
          })),
          createdAt: new Date(now - (4 - version) * 60_000),
        },
      });
    }
    await page.goto(dash('models?area=recommender'));
    await page.getByRole('img', { name: /ndcg@10 across versions/ }).waitFor();
    expect(await page.getByTestId('versions').locator('tbody tr').count()).toBe(3);
    await shot('10-models');
    await page.getByRole('link', { name: 'recommender/recommender' }).first().click();
    await page.getByRole('img', { name: /Loss per epoch/ }).waitFor();
    expect(await page.locator('figure.chart circle').count()).toBe(8);
    await shot('11-model-version');
  });

  it('trains the recommender: progress and loss live, then a new version with its metrics', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 16; i++) {
      const d = await gql<{ createContent: { id: string } }>(
        `mutation($i: ContentInput!) { createContent(input: $i) { id } }`,
        {
          i: {
            title: `Story ${i} for readers`,
            status: 'PUBLISHED',
            category: i % 2 ? 'sport' : 'politics',
            publishedAt: new Date().toISOString(),
          },
        },
      );
      ids.push(d.createContent.id);
    }
    const events = [];
    for (let r = 0; r < 20; r++) {
      for (let k = 0; k < 6; k++) {
        events.push({
          eventId: `e-${r}-${k}`,
          readerId: `reader-${r}`,
          contentId: ids[(r * 3 + k * (1 + (r % 2))) % ids.length],
          eventType: 'click',
          occurredAt: new Date(Date.now() - (r * 6 + k) * 60_000).toISOString(),
        });
      }
    }
    await gql(`mutation($e: [InteractionInput!]!) { ingestInteractions(events: $e) { accepted } }`, {
      e: events,
    });
    await page.goto(dash('models?area=recommender'));
    await page.getByTestId('versions').waitFor();
    const before = await page.getByTestId('versions').locator('tbody tr').count();
    await page.getByRole('combobox', { name: /^Model/ }).selectOption({ label: 'Train the recommender' });
    await page.getByLabel('Algorithm').fill('bpr');
    await page.getByLabel('Epochs').fill('40');
    await page.getByRole('button', { name: 'Start training' }).click();
    const live = page.getByRole('region', { name: /Training run recommender.train/ });
    await live.waitFor({ timeout: 60_000 });
    await expect
      .poll(() => live.locator('figure.chart circle').count(), { timeout: 120_000 })
      .toBeGreaterThanOrEqual(3);
    await shot('11a-training-live');
    await expect
      .poll(() => page.getByTestId('versions').locator('tbody tr').count(), { timeout: 120_000 })
      .toBe(before + 1);
    await shot('11b-training-done');
    await page.getByRole('link', { name: 'recommender/recommender' }).first().click();
    await page.getByRole('img', { name: /Loss per epoch/ }).waitFor();
    expect(await page.locator('figure.chart circle').count()).toBeGreaterThanOrEqual(3);
  });

  it("shows a reader's recommendations with reasons, and a pin or a block changes them at once", async () => {
    await page.goto(dash('recommendations?reader=reader-3'));
    const recs = page.getByTestId('recs').locator('li');
    await expect.poll(() => recs.count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await recs.first().locator('.muted').textContent()).not.toContain('no reason given');
    // Pin the item ranked last: it must move to the top at once.
    const pinTitle = (await recs.last().locator('a').first().textContent())!;
    await page.getByLabel('Find the item').fill(pinTitle);
    await page.getByRole('combobox', { name: /^Item/ }).selectOption({ label: pinTitle });
    await page.getByRole('combobox', { name: /^Rule/ }).selectOption('PIN');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await expect
      .poll(() => recs.first().textContent(), { timeout: 15_000 })
      .toMatch(new RegExp(`^${pinTitle}.*pinned`));
    await shot('12a-recommendations-pinned');
    await page.getByRole('combobox', { name: /^Rule/ }).selectOption('BLOCK');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await expect
      .poll(async () => (await recs.allTextContents()).some((t) => t.includes(pinTitle)), { timeout: 15_000 })
      .toBe(false);
  });

  it('runs an experiment from the Models page: a candidate for a share of readers, clicks per arm, stop', async () => {
    // A served version with a model, and a candidate to test against it (a copy of its model).
    const trained = await api.db.modelVersion.findFirst({
      where: { newsroomId: n.id, area: 'recommender', artifactBytes: { gt: 0 } },
      orderBy: { version: 'desc' },
    });
    if (!trained) throw new Error('the training test above stores a recommender version with a model');
    await gql(`mutation($id: ID!) { activateRecommenderModel(id: $id) { id } }`, { id: trained.id });
    const candidate = await api.db.modelVersion.create({
      data: {
        newsroomId: n.id,
        area: 'recommender',
        name: 'recommender',
        version: 20,
        algorithm: trained.algorithm,
        artifact: trained.artifact,
        artifactBytes: trained.artifactBytes,
        status: 'CANDIDATE',
      },
    });
    await page.goto(dash('models?area=recommender'));
    const panel = page.getByRole('region', { name: 'Recommender experiments' });
    await panel
      .getByRole('combobox', { name: 'Candidate version' })
      .selectOption({ label: `v20 ${trained.algorithm} (candidate)` });
    await panel.getByLabel('Readers on the candidate (%)').fill('50');
    await panel.getByRole('button', { name: 'Start experiment' }).click();
    await panel.getByTestId('experiment-running').waitFor();
    // Readers are served by their arm; one candidate reader clicks what they were shown.
    const REC = `query($r: String!) { recommendations(readerId: $r, first: 5) { experiment { arm } items { content { id } } } }`;
    let clicked = false;
    for (let r = 0; r < 20; r++) {
      const list = (await gql(REC, { r: `reader-${r}` })).recommendations;
      if (!clicked && list.experiment?.arm === 'candidate' && list.items.length) {
        await gql(`mutation($e: [InteractionInput!]!) { ingestInteractions(events: $e) { accepted } }`, {
          e: [
            {
              eventId: `x-${r}`,
              readerId: `reader-${r}`,
              contentId: list.items[0].content.id,
              eventType: 'click',
              occurredAt: new Date().toISOString(),
            },
          ],
        });
        clicked = true;
      }
    }
    expect(clicked).toBe(true);
    await page.waitForTimeout(1_200);
    await page.reload();
    const running = panel.getByTestId('experiment-running');
    await running.waitFor();
    const candidateRow = running.getByRole('row', { name: /Candidate/ });
    await expect.poll(() => candidateRow.textContent()).toMatch(/v20.*\d+\s*1\s*[\d.]+%/);
    expect(await running.getByTestId('verdict').textContent()).toContain('Too early to tell');
    expect(await unlabelled(page)).toEqual([]);
    await shot('11c-experiment');
    await running.getByRole('button', { name: 'Stop' }).click();
    await panel.getByText(/Earlier experiments \(1\)/).waitFor();
    expect(
      await api.db.recommenderExperiment.count({
        where: { newsroomId: n.id, status: 'STOPPED', candidateVersionId: candidate.id },
      }),
    ).toBe(1);
  });

  it('renders every other page with labelled controls, at desktop and phone widths', async () => {
    for (const [name, heading] of [
      ['recommendations', 'Recommendations'],
      ['people', 'People'],
      ['glossary', 'Glossary & templates'],
      ['review', 'Review'],
      ['graphics', 'Graphics'],
      ['admin', 'Admin'],
    ]) {
      await page.goto(dash(name));
      await expect.poll(() => page.locator('#page-title').textContent()).toBe(heading);
      await page.waitForLoadState('networkidle');
      await shot(`12-${name}`);
      expect(await unlabelled(page), name).toEqual([]);
    }
    // The admin page counts jobs per queue.
    expect(await page.getByTestId('queues').textContent()).toContain('platform');

    await page.goto(dash('glossary'));
    await page.getByRole('button', { name: 'Add a term' }).click();
    await page.getByLabel('Term', { exact: true }).fill('White House');
    await page.getByLabel('Required translations').fill('es=Casa Blanca');
    await page.getByRole('button', { name: 'Save term' }).click();
    await page.getByRole('cell', { name: 'White House', exact: true }).waitFor();

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(dash('content'));
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('link', { name: 'Jobs' }).click();
    await page.getByRole('heading', { name: 'Jobs' }).waitFor();
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(1);
    await shot('13-phone-jobs');
    await page.setViewportSize({ width: 1280, height: 860 });
  });
});

/**
 * An analysed video as video.analyze stores it (scenes with keyframe image assets, a person on one of
 * them, chapters, a transcript), written directly so that the page is tested without running the vision
 * and speech models (apps/api/test/video.test.ts runs them); the video file itself is real.
 */
async function seedAnalysedVideo(): Promise<{ videoId: string; personName: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dash-video-'));
  try {
    const file = path.join(dir, 'briefing.mp4');
    await makeVideo(
      file,
      [
        { pattern: 'smptebars', durationSec: 2 },
        { pattern: 'testsrc2', durationSec: 2 },
      ],
      { width: 320, height: 180, toneDb: -20 },
    );
    const videoId = await uploadAsset(api, n.keys.editor, fs.readFileSync(file), 'briefing.mp4');
    const keyframes: string[] = [];
    for (const at of [1, 3]) {
      const jpg = path.join(dir, `k${at}.jpg`);
      await runFfmpeg('ffmpeg', ['-v', 'error', '-ss', String(at), '-i', file, '-frames:v', '1', '-y', jpg]);
      keyframes.push(await uploadAsset(api, n.keys.editor, fs.readFileSync(jpg), `k${at}.jpg`));
    }
    const person = await api.db.person.create({ data: { newsroomId: n.id, name: 'Ana Reporter' } });
    await api.db.face.create({
      data: {
        newsroomId: n.id,
        assetId: keyframes[1],
        box: { x: 100, y: 40, width: 60, height: 60 },
        descriptor: Buffer.alloc(512),
        detectionScore: 0.9,
        personId: person.id,
        assignment: 'auto',
        model: 'test',
      },
    });
    const segments = [
      { start: 0.2, end: 1.8, text: 'Good evening from the newsroom.' },
      { start: 2.2, end: 3.8, text: 'The council meets again tomorrow.' },
    ].map((s) => ({
      ...s,
      words: s.text.split(' ').map((word, i, all) => {
        const step = (s.end - s.start) / all.length;
        return { word, start: s.start + i * step, end: s.start + (i + 1) * step, confidence: 0.9 };
      }),
    }));
    const transcript = await api.db.transcript.create({
      data: {
        newsroomId: n.id,
        assetId: videoId,
        engine: 'test',
        text: segments.map((s) => s.text).join(' '),
        segments,
        durationSec: 4,
      },
    });
    await api.db.videoAnalysis.create({
      data: {
        newsroomId: n.id,
        assetId: videoId,
        durationSec: 4,
        width: 320,
        height: 180,
        rotation: 0,
        fps: 25,
        variableFrameRate: false,
        hasAudio: true,
        probe: {},
        transcriptId: transcript.id,
        chapters: [
          {
            index: 0,
            startSec: 0,
            endSec: 2,
            firstScene: 0,
            lastScene: 0,
            title: 'Good evening',
            titleFrom: 'transcript',
          },
          {
            index: 1,
            startSec: 2,
            endSec: 4,
            firstScene: 1,
            lastScene: 1,
            title: 'The council',
            titleFrom: 'transcript',
          },
        ],
        scenes: {
          create: keyframes.map((keyframeAssetId, index) => ({
            newsroomId: n.id,
            videoAssetId: videoId,
            index,
            startSec: index * 2,
            endSec: index * 2 + 2,
            cutScore: index ? 0.3 : 0,
            keyframeAssetId,
            keyframeSec: index * 2 + 1,
            sharpness: 200,
            brightness: 120,
          })),
        },
      },
    });
    return { videoId, personName: person.name };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('the video page', () => {
  it('shows an analysed video: scenes with people, chapters, a transcript that seeks the player; makes a clip', async () => {
    const { videoId, personName } = await seedAnalysedVideo();
    await page.goto(dash('video'));
    // Signed in by the first test when the whole file runs; on its own (-t), sign in here.
    await page.locator('#page-title, input[type="password"]').first().waitFor();
    if (await page.getByLabel('API key').count()) {
      await page.getByLabel('API key').fill(n.keys.admin);
      await page.getByRole('button', { name: 'Sign in' }).click();
    }
    await page.getByRole('link', { name: 'briefing.mp4' }).click();
    await page.getByRole('heading', { name: 'briefing.mp4' }).waitFor();
    expect(page.url()).toContain(`/dashboard/video/${videoId}`);
    await page.getByRole('heading', { name: 'Scenes (2)' }).waitFor();
    expect(await page.getByTestId('scene-people').textContent()).toContain(personName);
    await page.getByRole('button', { name: /2\.0 The council/ }).waitFor();
    const player = page.getByTestId('player');
    await player.waitFor();

    // A click on the second line moves the player there and marks the line as the one being spoken.
    const line = page.getByTestId('transcript').getByRole('button', { name: /council meets again/ });
    await line.click();
    const playerAt = () =>
      page.evaluate<number>(`document.querySelector('[data-testid="player"]').currentTime`);
    await expect.poll(playerAt).toBeGreaterThanOrEqual(2.2);
    await page.evaluate(`document.querySelector('[data-testid="player"]').pause()`);
    await expect.poll(() => line.getAttribute('aria-current')).toBe('true');
    expect(
      await page
        .getByTestId('transcript')
        .getByRole('button', { name: /Good evening/ })
        .getAttribute('aria-current'),
    ).toBeNull();
    expect(await axe(page)).toEqual([]);
    expect(await unlabelled(page)).toEqual([]);

    // The clip builder refuses a backwards range in words, then queues the clip and shows it when made.
    await page.getByLabel('Start (seconds)').fill('3');
    await page.getByLabel('End (seconds)').fill('1');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('end must come after');
    await page.getByLabel('Start (seconds)').fill('1.5');
    await page.getByLabel('End (seconds)').fill('3.5');
    await page.getByLabel('Aspect').selectOption('SQUARE_1_1');
    await page.getByRole('button', { name: 'Make the clip' }).click();
    const made = page.getByTestId('clip-result');
    await made.waitFor({ timeout: 120_000 });
    expect(await made.textContent()).toMatch(
      /Clip ready: 180×180, 2\.0 s, [12] captions?, loudness -1[5-7]\.\d LUFS/,
    );
    const jobs = await gql(
      `{ jobs(first: 5, filter: { types: ["video.clip"] }) { edges { node { status input } } } }`,
    );
    expect(jobs.jobs.edges[0].node).toMatchObject({
      status: 'COMPLETED',
      input: { assetId: videoId, startSec: 1.5, endSec: 3.5, aspect: '1:1', captions: 'burned' },
    });
    await shot('14-video');
  }, 180_000);
});
