import { describe, expect, it } from 'vitest';
import {
  classifyTopic,
  deserializeTopicClassifier,
  extractEntities,
  extractKeywords,
  retrainTopicClassifier,
  serializeTopicClassifier,
  suggestTags,
  trainTopicClassifier,
  type TopicExample,
} from '../src/index.js';
import { rng } from '../src/ml/random.js';

const NEWS = `KATHMANDU, Nepal — Two CNN Heroes are among the earthquake survivors in Kathmandu. Anuradha Koirala, who rescues victims of sex trafficking, runs a rehabilitation center that is home to 425 young women and girls. All of the children have been sleeping outdoors because of aftershocks, Koirala said on Tuesday. Another hero, Pushpa Basnet, and the 45 children she cares for were forced to evacuate. The World Health Organization warned of cholera, and the Nepalese government asked the United Nations for $415 million in aid. Dr. Laura Stachel's group, We Care Solar, sent solar suitcases to clinics in Gorkha district. "These girls are most vulnerable," Koirala told CNN.`;

describe('keywords', () => {
  it('finds the topical phrases of a news paragraph, without function words or verbs', () => {
    const kws = extractKeywords(
      { text: NEWS, title: 'Nepal earthquake: CNN Heroes help survivors' },
      { max: 10 },
    );
    const terms = kws.map((k) => k.term.toLowerCase());
    expect(terms.some((t) => t.includes('earthquake'))).toBe(true);
    expect(terms.some((t) => t.includes('koirala'))).toBe(true);
    expect(terms.some((t) => t.includes('kathmandu'))).toBe(true);
    for (const bad of ['said', 'the', 'were', 'told', 'all']) expect(terms).not.toContain(bad);
    expect(kws[0].score).toBe(1);
    expect(kws.every((k, i) => i === 0 || k.score <= kws[i - 1].score)).toBe(true);
  });
});

describe('entities', () => {
  it('types people, places and organisations, and joins surnames to full names', () => {
    const ents = extractEntities(NEWS);
    const byText = new Map(ents.map((e) => [e.text, e]));
    expect(byText.get('Anuradha Koirala')?.type).toBe('person');
    expect(byText.get('Anuradha Koirala')?.count).toBeGreaterThanOrEqual(3); // "Koirala said", "Koirala told"
    expect(byText.get('Pushpa Basnet')?.type).toBe('person');
    expect(byText.get('Laura Stachel')?.type).toBe('person');
    expect(byText.get('Kathmandu')?.type).toBe('place');
    expect(byText.get('World Health Organization')?.type).toBe('organization');
    expect(byText.get('United Nations')?.type).toBe('organization');
    expect(byText.get('CNN')?.type).toBe('organization');
    // Sentence-initial words that are not names are not entities.
    expect(ents.find((e) => e.text === 'All' || e.text === 'Another' || e.text === 'These')).toBeUndefined();
  });

  it('adds numeric entities from wink-nlp on request', () => {
    const ents = extractEntities(NEWS, { includeNumeric: true });
    expect(ents.find((e) => e.type === 'money')?.text).toBe('$415 million');
    expect(ents.some((e) => e.type === 'date' && e.text === 'Tuesday')).toBe(true);
  });
});

/** Tagged synthetic content: each label has its own vocabulary, plus shared noise words. */
function tagged(n: number, seed: number): TopicExample[] {
  const r = rng(seed);
  const vocab: Record<string, string[]> = {
    sports: 'match goal league coach striker season win defeat stadium penalty referee'.split(' '),
    finance: 'shares market profit investors earnings bank inflation rates stocks revenue quarter'.split(' '),
    weather: 'rain storm forecast temperatures wind snow flood heatwave showers sunny'.split(' '),
    health: 'hospital patients vaccine doctors disease treatment virus nurses clinic symptoms'.split(' '),
  };
  const noise = 'the city said on new year people report week local officials'.split(' ');
  const labels = Object.keys(vocab);
  const out: TopicExample[] = [];
  for (let i = 0; i < n; i++) {
    const label = labels[i % labels.length];
    const words: string[] = [];
    for (let k = 0; k < 12; k++)
      words.push(
        r() < 0.45
          ? vocab[label][Math.floor(r() * vocab[label].length)]
          : noise[Math.floor(r() * noise.length)],
      );
    // Some cross-topic confusion.
    words.push(vocab[labels[Math.floor(r() * labels.length)]][0]);
    out.push({ text: words.join(' '), label });
  }
  return out;
}

describe('topic classifier', () => {
  it('trains, reports held-out accuracy and macro-F1, suggests tags with confidence, round-trips, retrains', async () => {
    const progress: number[] = [];
    const { model, evaluation, test } = await trainTopicClassifier(tagged(240, 1), {
      epochs: 25,
      version: 'v1',
      onProgress: (p) => progress.push(p.loss),
    });
    expect(test.length).toBeGreaterThanOrEqual(40);
    expect(evaluation.accuracy).toBeGreaterThan(0.85);
    expect(evaluation.macroF1).toBeGreaterThan(0.85);
    expect(model.metrics.accuracy).toBe(evaluation.accuracy);
    expect(progress[progress.length - 1]).toBeLessThan(progress[0]);

    const [best] = classifyTopic(
      model,
      'Heavy rain and a storm are in the forecast, with strong wind and flood warnings',
    );
    expect(best.label).toBe('weather');
    expect(best.confidence).toBeGreaterThan(0.5);

    const tags = suggestTags(
      {
        text: 'The striker scored a late penalty as the coach celebrated the league win at the stadium in Madrid.',
      },
      { classifier: model },
    );
    expect(tags[0]).toMatchObject({ tag: 'sports', kind: 'topic', source: 'classifier' });

    const back = deserializeTopicClassifier(serializeTopicClassifier(model));
    expect(back.version).toBe('v1');
    expect(classifyTopic(back, 'vaccine for patients at the clinic')).toEqual(
      classifyTopic(model, 'vaccine for patients at the clinic'),
    );

    const re = await retrainTopicClassifier(model, tagged(120, 2), { epochs: 5, version: 'v2' });
    expect(re.model.version).toBe('v2');
    expect(re.model.params.labels).toEqual(model.params.labels);
    expect(re.evaluation.accuracy).toBeGreaterThan(0.8);
  });
});
