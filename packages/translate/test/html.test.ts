import { describe, expect, it } from 'vitest';
import { translateDocument } from '../src/index.js';
import { identityEngine, UpperCaseEngine } from './fakes.js';

const ARTICLE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Storm hits coast</title>
<style>p { color: red; } /* The house */</style></head>
<body>
<!-- lead paragraph -->
<h1 class="headline">Storm hits the <em>north</em> coast</h1>
<p>Read the <a href="https://example.com/report?id=7&amp;lang=en" title="Full report">weather report</a> before you travel. Roads are closed.</p>
<figure><img src="/media/storm.jpg" alt="Waves over the harbour wall" width="640"><figcaption>Waves on Monday</figcaption></figure>
<pre><code class="language-js">const house = "the red house";</code></pre>
<p>Run <code>npm install storm</code> to get the data &amp; maps.</p>
<p translate="no">Brand Name Stays</p>
<script>window.track("The page view");</script>
</body></html>`;

describe('HTML documents', () => {
  it('translates text and keeps every tag, link and attribute', async () => {
    const result = await translateDocument({
      text: ARTICLE,
      format: 'html',
      from: 'en',
      to: 'es',
      engine: new UpperCaseEngine(),
    });
    const out = result.text;
    expect(out).toContain('<h1 class="headline">STORM HITS THE <em>NORTH</em> COAST</h1>');
    expect(out).toContain(
      '<a href="https://example.com/report?id=7&amp;lang=en" title="FULL REPORT">WEATHER REPORT</a> BEFORE YOU TRAVEL. ROADS ARE CLOSED.',
    );
    expect(out).toContain('<img src="/media/storm.jpg" alt="WAVES OVER THE HARBOUR WALL" width="640">');
    expect(out).toContain('<figcaption>WAVES ON MONDAY</figcaption>');
    expect(out).toContain('<title>STORM HITS COAST</title>');
    expect(out).toContain('DATA &amp; MAPS.');
  });

  it('leaves code, scripts, styles, comments and translate="no" untouched', async () => {
    const engine = new UpperCaseEngine();
    const out = (await translateDocument({ text: ARTICLE, format: 'html', from: 'en', to: 'es', engine }))
      .text;
    expect(out).toContain('<pre><code class="language-js">const house = "the red house";</code></pre>');
    expect(out).toContain('<code>npm install storm</code>');
    expect(out).toContain('<style>p { color: red; } /* The house */</style>');
    expect(out).toContain('<script>window.track("The page view");</script>');
    expect(out).toContain('<!-- lead paragraph -->');
    expect(out).toContain('<p translate="no">Brand Name Stays</p>');
    const sent = engine.calls.flat().join(' ');
    expect(sent).not.toMatch(/house|npm|track|Brand/);
  });

  it('gives the document back byte for byte through an engine that changes nothing', async () => {
    const result = await translateDocument({
      text: ARTICLE,
      format: 'html',
      from: 'en',
      to: 'es',
      engine: identityEngine(),
    });
    expect(result.text).toBe(ARTICLE);
  });

  it('sends inline markup as placeholders within one sentence', async () => {
    const engine = new UpperCaseEngine();
    await translateDocument({
      text: '<p>Click <b>here</b> now.</p>',
      format: 'html',
      from: 'en',
      to: 'es',
      engine,
    });
    expect(engine.calls.flat()).toEqual(['Click ⟦1⟧here⟦2⟧ now.']);
  });

  it('puts back markup an engine dropped instead of losing it', async () => {
    const dropping = new UpperCaseEngine('dropper', undefined, (text) =>
      text.replace(/\u27E6\d+\u27E7/g, '').toUpperCase(),
    );
    const result = await translateDocument({
      text: '<p>Click <a href="/x">here</a> now.</p>',
      format: 'html',
      from: 'en',
      to: 'es',
      engine: dropping,
    });
    expect(result.text).toBe('<p>CLICK <a href="/x">HERE</a> NOW.</p>');
    expect(result.stats.fallbackSentences).toBe(1);
  });

  it('handles broken HTML without throwing and keeps what it cannot parse', async () => {
    const broken =
      '<div><p>Unclosed <b>bold text<p>Second para with a < sign & an ampersand</div></span><!-- never closed <p>hidden';
    const result = await translateDocument({
      text: broken,
      format: 'html',
      from: 'en',
      to: 'es',
      engine: new UpperCaseEngine(),
    });
    expect(result.text).toBe(
      '<div><p>UNCLOSED <b>BOLD TEXT<p>SECOND PARA WITH A &lt; SIGN &amp; AN AMPERSAND</div></span><!-- never closed <p>hidden',
    );
    expect(result.warnings.join(' ')).toMatch(/comment is never closed/);
  });

  it('keeps a tag cut off at the end', async () => {
    const result = await translateDocument({
      text: '<p>Good morning</p><img src="a.jpg" alt="cut',
      format: 'html',
      from: 'en',
      to: 'es',
      engine: new UpperCaseEngine(),
    });
    expect(result.text).toBe('<p>GOOD MORNING</p><img src="a.jpg" alt="cut');
    expect(result.warnings.length).toBeGreaterThan(0);
  });
});
