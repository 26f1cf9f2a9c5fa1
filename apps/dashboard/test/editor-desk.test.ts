import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createNewsroom,
  startTestApi,
  testConfig,
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
