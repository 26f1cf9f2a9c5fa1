import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's chromium driven by playwright-core: headless, no sandbox, a new empty profile, nothing downloaded. */
export async function launchBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `No browser at ${CHROMIUM}: install it with "apt-get install -y chromium" (scripts/debian-packages.txt lists it)`,
    );
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'mediaai-dashboard-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 860 },
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeResult {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}
/** axe-core's serious and critical violations on the page as it is now. */
export async function axe(p: Page): Promise<string[]> {
  // Evaluated over the DevTools protocol: the dashboard's Content-Security-Policy refuses injected scripts.
  if (!(await p.evaluate('typeof window.axe !== "undefined"')))
    await p.evaluate(fs.readFileSync(AXE, 'utf8'));
  const v = await p.evaluate<AxeResult[]>(
    // A toast fading out (half transparent for a moment) is not content.
    `axe.run({ exclude: [['.toast:not(.show)']] }, { resultTypes: ['violations'] }).then((r) => r.violations)`,
  );
  return v
    .filter((x) => x.impact === 'serious' || x.impact === 'critical')
    .map(
      (x) =>
        `${x.id} (${x.impact}): ${x.help} at ${x.nodes
          .map((d) => d.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
    );
}
