import { describe, expect, it } from 'vitest';
import { compressSentence, generateHeadlines, generateSocialPosts, toHashtag } from '../src/index.js';

const ARTICLE = {
  text: `LONDON — The Bank of England raised interest rates to 5.25% on Thursday, the highest level in 15 years, as it battles stubbornly high inflation, Governor Andrew Bailey said. Bailey said the decision was "not taken lightly" and warned that rates could stay high for some time. The move, the 14th consecutive increase, was backed by six of the nine members of the Monetary Policy Committee. Economists had expected the increase after inflation fell less than forecast in June. Mortgage lenders said they would pass the rise on to borrowers within days.`,
};

describe('headlines', () => {
  it('compresses sentences: attributions, datelines, relative clauses, leading adverbials', () => {
    const texts = (s: string) => compressSentence(s, 'en').map((c) => c.text);
    expect(
      texts('Police said that a 24-year-old man was arrested after a stabbing (pictured) on Sunday.'),
    ).toContain('A 24-year-old man was arrested after a stabbing on Sunday');
    expect(texts('According to the ministry, 12 people died in the floods.')).toContain(
      '12 people died in the floods',
    );
    expect(
      texts('Anuradha Koirala, who rescues victims of trafficking, runs a center in Kathmandu.'),
    ).toContain('Anuradha Koirala runs a center in Kathmandu');
    expect(texts('On Tuesday, the council approved the budget, the mayor said.')).toContain(
      'The council approved the budget',
    );
  });

  it('ranks candidates within the length limit; the lead fact comes first', () => {
    for (const maxChars of [70, 90]) {
      const hs = generateHeadlines(ARTICLE, { maxChars, count: 5 });
      expect(hs.length).toBeGreaterThanOrEqual(3);
      for (const h of hs) expect(h.text.length).toBeLessThanOrEqual(maxChars);
      expect(hs.every((h, i) => i === 0 || h.score <= hs[i - 1].score)).toBe(true);
      expect(hs[0].text).toMatch(/^The Bank of England raised interest rates to 5\.25%/);
      expect(hs[0].text).not.toMatch(/LONDON|said/);
    }
  });
});

describe('social posts', () => {
  it('fits 280 characters with hashtags from keywords/entities and the link counted as 23', () => {
    const url =
      'https://news.example.com/2024/08/01/bank-of-england-raises-rates-to-the-highest-level-in-fifteen-years';
    const posts = generateSocialPosts(ARTICLE, { url, hashtags: 2 });
    expect(posts.length).toBeGreaterThan(0);
    for (const p of posts) {
      expect(p.length).toBeLessThanOrEqual(280);
      expect(p.text.endsWith(url)).toBe(true);
      expect(p.length).toBe(p.text.length - url.length + 23);
      for (const h of p.hashtags) expect(p.text).toContain(h);
    }
    expect(posts[0].hashtags.length).toBeGreaterThan(0);
    const small = generateSocialPosts(ARTICLE, { maxChars: 120 });
    for (const p of small) expect(p.length).toBeLessThanOrEqual(120);
  });

  it('makes hashtags', () => {
    expect(toHashtag('Nepal earthquake')).toBe('#NepalEarthquake');
    expect(toHashtag("Koirala's group")).toBe('#KoiralaGroup');
    expect(toHashtag('NHS')).toBe('#NHS');
    expect(toHashtag('a')).toBeUndefined();
  });
});
