import { createRequire } from 'node:module';
import type winkNLP from 'wink-nlp';
import type { Model } from 'wink-nlp';

type Wink = ReturnType<typeof winkNLP>;

let instance: Wink | undefined;

/**
 * wink-nlp with the English lite model, loaded on first use and once per process (~0.2 s; the model is a few MB,
 * so importing this package does not load it).
 */
export function getWink(): Wink {
  if (!instance) {
    const require = createRequire(import.meta.url);
    const create = require('wink-nlp') as typeof winkNLP;
    const model = require('wink-eng-lite-web-model') as Model;
    instance = create(model);
  }
  return instance;
}

export interface WinkToken {
  value: string;
  pos: string;
  type: string;
}

export interface WinkEntity {
  value: string;
  type: string;
}

export function winkAnalyse(text: string): { tokens: WinkToken[]; entities: WinkEntity[] } {
  const nlp = getWink();
  const its = nlp.its;
  const doc = nlp.readDoc(text);
  const values = doc.tokens().out(its.value) as string[];
  const pos = doc.tokens().out(its.pos) as string[];
  const types = doc.tokens().out(its.type) as string[];
  const tokens = values.map((value, i) => ({ value, pos: pos[i] ?? 'X', type: types[i] ?? 'word' }));
  const entities = (doc.entities().out(its.detail) as unknown as { value: string; type: string }[]).map(
    (e) => ({
      value: e.value,
      type: e.type,
    }),
  );
  return { tokens, entities };
}

let lexiconDoc: ReturnType<Wink['readDoc']> | undefined;

/** True when the lower-cased word is not in the English model's lexicon (names usually are not). */
export function isRareEnglishWord(word: string): boolean {
  lexiconDoc ??= getWink().readDoc('');
  return !lexiconDoc.isLexeme(word.toLowerCase());
}
