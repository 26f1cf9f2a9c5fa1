import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type WorkerRuntime } from '@media-ai/worker';
import {
  createNewsroom,
  finishedJob,
  uploadAsset,
  silentLog,
  startTestApi,
  testConfig,
  type TestNewsroom,
} from './helpers/platform.js';

/*
 * End to end: social cards, charts and generated images through GraphQL, one in-process worker on the
 * graphics queue, and a small image server speaking OpenAI's /v1/images/generations (b64_json).
 */

let imageServer: http.Server;
const prompts: string[] = [];
let generated: Buffer;

async function startImageServer(): Promise<string> {
  generated = await sharp({ create: { width: 96, height: 64, channels: 3, background: '#2a6f97' } })
    .png()
    .toBuffer();
  imageServer = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(raw || '{}') as { prompt?: string };
      prompts.push(body.prompt ?? '');
      res.writeHead(req.url === '/v1/images/generations' ? 200 : 404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          created: 1,
          data: [
            { b64_json: generated.toString('base64'), revised_prompt: `${body.prompt}, in watercolour` },
          ],
          usage: { input_tokens: 12, output_tokens: 272, total_tokens: 284 },
        }),
      );
    });
  });
  await new Promise<void>((r) => imageServer.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(imageServer.address() as AddressInfo).port}/v1`;
}

let api: Awaited<ReturnType<typeof startTestApi>>;
let worker: WorkerRuntime;
let n: TestNewsroom;

beforeAll(async () => {
  process.env.IMAGES_PRICE_PER_IMAGE = '0.04';
  const config = testConfig({
    WORKER_QUEUES: 'graphics:1',
    IMAGES_BASE_URL: await startImageServer(),
    IMAGES_MODEL: 'gpt-image-1',
    IMAGES_API_KEY: 'sk-test',
  });
  api = await startTestApi(config);
  n = await createNewsroom(api.db, 'Graphics Desk');
  worker = await startWorker(config, silentLog());
});
afterAll(async () => {
  await worker?.close(1000);
  await api?.close();
  await new Promise<void>((r) => imageServer?.close(() => r()));
  delete process.env.IMAGES_PRICE_PER_IMAGE;
});

const finished = (jobId: string) => finishedJob(api, n.keys.app, jobId, 60_000);
const download = (p: string) => fetch(api.url + p, { headers: { authorization: `Bearer ${n.keys.app}` } });
const GRAPHIC = `query($id: ID!) { graphic(assetId: $id) { id type variant inputs aiGenerated label altText contentPath svgPath moderation regeneratedFrom asset { mimeType metadata } } }`;
const REGENERATE = `mutation($id: ID!) { regenerateGraphic(assetId: $id) { id type } }`;

describe('graphics through GraphQL jobs', () => {
  it('makes branded social cards from a photo, lists them and makes them again', async () => {
    const bad = await api.gql(
      `mutation { setBrandTemplate(input: { accentColor: "red", headlineFont: "Comic Sans" }) { accentColor } }`,
      {},
      n.keys.admin,
    );
    expect(bad.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(bad.errors![0]!.message).toMatch(
      /headlineFont: "Comic Sans" is not an installed family.*accentColor: "red" is not a colour/,
    );

    const logo = await sharp({ create: { width: 200, height: 60, channels: 4, background: '#ffffffff' } })
      .png()
      .toBuffer();
    const logoId = await uploadAsset(api, n.keys.editor, logo, 'logo.png');
    const { setBrandTemplate } = await api.ok(
      `mutation($logo: ID!) { setBrandTemplate(input: { accentColor: "#0055aa", logoAssetId: $logo, logoPosition: "top-right" }) { accentColor logoAssetId isDefault headlineFont } }`,
      { logo: logoId },
      n.keys.admin,
    );
    expect(setBrandTemplate).toEqual({
      accentColor: '#0055aa',
      logoAssetId: logoId,
      isDefault: false,
      headlineFont: 'DejaVu Sans',
    });

    const photo = await sharp({ create: { width: 1600, height: 1000, channels: 3, background: '#7a8b99' } })
      .jpeg()
      .toBuffer();
    const photoId = await uploadAsset(api, n.keys.editor, photo, 'photo.jpg');
    const refused = await api.gql(
      `mutation($p: ID!) { makeSocialCards(input: { headline: "الحكومة تعلن الميزانية", photoAssetId: $p }) { id } }`,
      { p: photoId },
      n.keys.editor,
    );
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.headline' });
    expect(refused.errors![0]!.message).toMatch(/Latin, Greek and Cyrillic/);

    const { makeSocialCards } = await api.ok(
      `mutation($p: ID!) { makeSocialCards(input: { headline: "Ayuntamiento aprueba el presupuesto de emergencia tras una sesión nocturna", quote: "No cerraremos ningún centro de salud", byline: "Ana García", photoAssetId: $p, formats: [OG, STORY] }) { id type queue } }`,
      { p: photoId },
      n.keys.editor,
    );
    expect(makeSocialCards).toMatchObject({ type: 'graphics.card', queue: 'graphics' });
    const job = await finished(makeSocialCards.id);
    expect(job.error).toBeNull();
    expect(
      job.result.cards.map((c: { format: string; width: number; height: number; truncated: boolean }) => [
        c.format,
        c.width,
        c.height,
        c.truncated,
      ]),
    ).toEqual([
      ['og', 1200, 630, false],
      ['story', 1080, 1920, false],
    ]);
    const og = job.result.cards[0].assetId as string;
    const png = Buffer.from(await (await download(`/v1/assets/${og}/content`)).arrayBuffer());
    expect(await sharp(png).metadata()).toMatchObject({ format: 'png', width: 1200, height: 630 });

    const { graphic } = await api.ok(GRAPHIC, { id: og }, n.keys.app);
    expect(graphic).toMatchObject({
      type: 'CARD',
      variant: 'og',
      aiGenerated: false,
      label: null,
      regeneratedFrom: null,
    });
    expect(graphic.inputs).toMatchObject({
      photoAssetId: photoId,
      formats: ['og'],
      quote: 'No cerraremos ningún centro de salud',
    });
    expect(graphic.asset.metadata.graphic.inputs.headline).toMatch(/^Ayuntamiento/);
    const list = await api.ok(
      `{ graphics(type: CARD) { totalCount edges { node { assetId variant } } } }`,
      {},
      n.keys.app,
    );
    expect(list.graphics.totalCount).toBe(2);

    // Nothing changed: the same bytes, the same asset. A new accent colour: a new card that says what it re-made.
    const again = await finished((await api.ok(REGENERATE, { id: og }, n.keys.editor)).regenerateGraphic.id);
    expect(again.result.cards[0]).toMatchObject({ assetId: og, unchanged: true });
    await api.ok(
      `mutation { setBrandTemplate(input: { accentColor: "#aa0055" }) { accentColor } }`,
      {},
      n.keys.admin,
    );
    const rebranded = await finished(
      (await api.ok(REGENERATE, { id: og }, n.keys.editor)).regenerateGraphic.id,
    );
    const newId = rebranded.result.cards[0].assetId as string;
    expect(newId).not.toBe(og);
    expect((await api.ok(GRAPHIC, { id: newId }, n.keys.app)).graphic.regeneratedFrom).toBe(og);
  });

  it('charts a table and a data-to-text draft, with an SVG and a traced description', async () => {
    const badTable = await api.gql(
      `mutation { makeChart(input: { kind: COLUMN, title: "Revenue", source: "Filings", table: { columns: ["Quarter", "Revenue"], rows: [["Q1", "12 m"]] } }) { id } }`,
      {},
      n.keys.editor,
    );
    expect(badTable.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(badTable.errors![0]!.message).toMatch(/rows\[0\]\[1\]: "12 m" is not a number/);

    const { makeChart } = await api.ok(
      `mutation { makeChart(input: { kind: COLUMN, title: "Quarterly revenue", source: "Company filings", unit: "€m", table: { columns: ["Quarter", "Revenue"], rows: [["Q1", 12.4], ["Q2", 13.1], ["Q3", 15.08]] } }) { id } }`,
      {},
      n.keys.editor,
    );
    const job = await finished(makeChart.id);
    expect(job.error).toBeNull();
    expect(job.result).toMatchObject({ status: 'created', width: 1200, height: 675, untracedNumbers: 0 });
    const { graphic } = await api.ok(GRAPHIC, { id: job.result.assetId }, n.keys.app);
    expect(graphic.altText).toContain(
      'Column chart: Quarterly revenue. Q1 12.4 €m; Q2 13.1 €m; Q3 15.08 €m.',
    );
    const svg = await (await download(graphic.svgPath)).text();
    expect(svg).toContain('<desc id="chart-desc">Column chart: Quarterly revenue.');

    const { renderDraft } = await api.ok(
      `mutation($data: JSON!) { renderDraft(template: "sports-result", data: $data) { item { id } } }`,
      {
        data: {
          competition: 'Premier League',
          date: '2024-03-09',
          home: { name: 'Liverpool', score: 3 },
          away: { name: 'Brentford', score: 1 },
          scorers: [
            { player: 'Diogo Jota', team: 'Liverpool', minute: 35 },
            { player: 'Mohamed Salah', team: 'Liverpool', minute: 62 },
            { player: 'Yoane Wissa', team: 'Brentford', minute: 70 },
          ],
        },
      },
      n.keys.editor,
    );
    const fromDraft = await api.ok(
      `mutation($d: ID!, $m: JSON!) { makeChart(input: { kind: BAR, title: "Minute of each goal", source: "Match report", draftItemId: $d, mapping: $m }) { id } }`,
      {
        d: renderDraft.item.id,
        m: { items: 'scorers', label: 'player', values: [{ field: 'minute', name: 'Minute' }] },
      },
      n.keys.editor,
    );
    const draftJob = await finished(fromDraft.makeChart.id);
    expect(draftJob.error).toBeNull();
    expect(draftJob.result.altText).toContain('Diogo Jota 35; Mohamed Salah 62; Yoane Wissa 70.');
    const drafted = (await api.ok(GRAPHIC, { id: draftJob.result.assetId }, n.keys.app)).graphic;
    expect(drafted.inputs).toMatchObject({
      draftItemId: renderDraft.item.id,
      data: { scorers: expect.any(Array) },
    });
  });

  it('generates an image through the provider, labels it AI-generated, records usage and applies moderation', async () => {
    const { generateImage } = await api.ok(
      `mutation { generateImage(input: { prompt: "A lighthouse at dusk", size: "1024x1024" }) { id type } }`,
      {},
      n.keys.editor,
    );
    const job = await finished(generateImage.id);
    expect(job.error).toBeNull();
    expect(job.result).toMatchObject({
      status: 'created',
      model: 'gpt-image-1',
      revisedPrompt: 'A lighthouse at dusk, in watercolour',
      costUsd: 0.04,
      moderation: { decision: 'allow' },
    });
    expect(prompts).toContain('A lighthouse at dusk');
    const { graphic } = await api.ok(GRAPHIC, { id: job.result.assetId }, n.keys.app);
    expect(graphic).toMatchObject({
      type: 'IMAGE',
      variant: '1024x1024',
      aiGenerated: true,
      label: 'AI-generated',
      moderation: 'allow',
    });
    expect(graphic.asset.metadata.aiGenerated).toMatchObject({
      label: 'AI-generated',
      model: 'gpt-image-1',
      prompt: 'A lighthouse at dusk',
    });
    const bytes = Buffer.from(await (await download(graphic.contentPath)).arrayBuffer());
    expect((await sharp(bytes).metadata()).xmp?.toString()).toContain('trainedAlgorithmicMedia');
    const usage = await api.db.llmUsage.findMany({
      where: { newsroomId: n.id, operation: 'images.generations' },
    });
    expect(usage.map((u) => [u.model, u.promptTokens, u.completionTokens, u.costUsd])).toEqual([
      ['gpt-image-1', 12, 272, 0.04],
    ]);

    // A policy that flags every drawing-like score: the image is kept and waits in the moderation queue.
    await api.ok(
      `mutation { setModerationPolicy(thresholds: [{ className: "Drawing", flag: 0 }]) { isDefault } }`,
      {},
      n.keys.admin,
    );
    const flagged = await finished(
      (
        await api.ok(
          `mutation { generateImage(input: { prompt: "A harbour at noon" }) { id } }`,
          {},
          n.keys.editor,
        )
      ).generateImage.id,
    );
    expect(flagged.result.status).toBe('flagged');
    const queue = await api.ok(
      `{ moderationQueue { edges { node { assetId decision } } } }`,
      {},
      n.keys.editor,
    );
    expect(queue.moderationQueue.edges.map((e: { node: { assetId: string } }) => e.node.assetId)).toContain(
      flagged.result.assetId,
    );
    // One that blocks: nothing is kept, the call is still in the ledger.
    await api.ok(
      `mutation { setModerationPolicy(thresholds: [{ className: "Drawing", block: 0 }]) { isDefault } }`,
      {},
      n.keys.admin,
    );
    const refused = await finished(
      (await api.ok(`mutation { generateImage(input: { prompt: "A storm" }) { id } }`, {}, n.keys.editor))
        .generateImage.id,
    );
    expect(refused.result).toMatchObject({
      status: 'refused',
      assetId: null,
      moderation: { decision: 'block' },
    });
    expect(
      await api.db.llmUsage.count({ where: { newsroomId: n.id, operation: 'images.generations' } }),
    ).toBe(3);
  });
});
