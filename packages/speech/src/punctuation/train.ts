import { COMMA, NONE, QUESTION, isSentenceEnd, type Mark, type PunctuatedWords } from './corpus.js';
import { gapFeatures, sentenceFeatures, type GapState, type LmLexicon } from './features.js';
import type { GapScorer } from './model.js';

export interface TrainOptions {
  lexicon: LmLexicon;
  /** Passes over the data (default 8). */
  epochs?: number;
  /** Features seen fewer times are dropped (default 2). */
  minCount?: number;
  /** AdaGrad step size (default 0.2). */
  learningRate?: number;
  /** L2 penalty per update of an active feature (default 1e-4). */
  l2?: number;
  /** Weight of a question-mark example (they are rare in news text; default 1). */
  questionWeight?: number;
}

export interface TrainedWeights {
  weights: Map<string, Float64Array>;
  score: GapScorer;
}

/** Deterministic shuffle (a fixed linear congruential sequence). */
function shuffle<T>(items: T[], seed: number): T[] {
  let s = seed >>> 0;
  for (let i = items.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/**
 * Multinomial logistic regression on the gaps of written text (the sentence and clause so far from the
 * writer's own marks), trained with AdaGrad in a fixed order: the same text gives the same model.
 */
export function trainPunctuation(docs: readonly PunctuatedWords[], options: TrainOptions): TrainedWeights {
  const epochs = options.epochs ?? 8;
  const minCount = options.minCount ?? 2;
  const lr = options.learningRate ?? 0.2;
  const l2 = options.l2 ?? 1e-4;
  const qWeight = options.questionWeight ?? 1;
  const examples: { features: string[]; mark: Mark }[] = [];
  const counts = new Map<string, number>();
  for (const doc of docs) {
    const state: GapState = { sentenceStart: 0, clauseStart: 0 };
    doc.words.forEach((_, i) => {
      const features = gapFeatures(doc.words, i, state, options.lexicon);
      for (const f of features) counts.set(f, (counts.get(f) ?? 0) + 1);
      const mark = doc.marks[i] ?? NONE;
      examples.push({ features, mark });
      if (isSentenceEnd(mark)) {
        state.sentenceStart = i + 1;
        state.clauseStart = i + 1;
      } else if (mark === COMMA) state.clauseStart = i + 1;
    });
  }
  const ids = new Map<string, number>();
  for (const [f, n] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
    if (n >= minCount) ids.set(f, ids.size);
  const encoded = examples.map((e) => ({
    ids: e.features.map((f) => ids.get(f)).filter((x): x is number => x !== undefined),
    mark: e.mark,
  }));
  const w = new Float64Array(ids.size * 4);
  const g2 = new Float64Array(ids.size * 4).fill(1e-8);
  const z = new Float64Array(4);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const ex of shuffle([...encoded], 7919 + epoch)) {
      z.fill(0);
      for (const f of ex.ids) for (let c = 0; c < 4; c++) z[c]! += w[f * 4 + c]!;
      const max = Math.max(z[0]!, z[1]!, z[2]!, z[3]!);
      let sum = 0;
      for (let c = 0; c < 4; c++) sum += z[c] = Math.exp(z[c]! - max);
      const weight = ex.mark === 3 ? qWeight : 1;
      for (let c = 0; c < 4; c++) {
        const g = weight * (z[c]! / sum - (c === ex.mark ? 1 : 0));
        for (const f of ex.ids) {
          const k = f * 4 + c;
          const grad = g + l2 * w[k]!;
          g2[k]! += grad * grad;
          w[k]! -= (lr * grad) / Math.sqrt(g2[k]!);
        }
      }
    }
  }
  const weights = new Map<string, Float64Array>();
  for (const [f, id] of ids) weights.set(f, w.slice(id * 4, id * 4 + 4));
  const score: GapScorer = (features) => {
    const s = [0, 0, 0, 0];
    for (const f of features) {
      const fw = weights.get(f);
      if (fw) for (let c = 0; c < 4; c++) s[c]! += fw[c]!;
    }
    return s;
  };
  return { weights, score };
}

/**
 * Binary logistic regression: is a sentence a question? Trained on every sentence of the text, each question
 * weighted by (statements / questions)^balance (news text holds few questions; full balance, 1, makes
 * many statements questions; the training script chooses it by cross-validation), so a score above 0 means "?".
 */
export function trainQuestionClassifier(
  docs: readonly PunctuatedWords[],
  options: { epochs?: number; learningRate?: number; l2?: number; balance?: number } = {},
): Map<string, number> {
  const epochs = options.epochs ?? 10;
  const lr = options.learningRate ?? 0.1;
  const l2 = options.l2 ?? 1e-3;
  const examples: { features: string[]; question: boolean }[] = [];
  for (const doc of docs) {
    let from = 0;
    doc.marks.forEach((m, i) => {
      if (!isSentenceEnd(m)) return;
      examples.push({ features: sentenceFeatures(doc.words, from, i), question: m === QUESTION });
      from = i + 1;
    });
  }
  const questions = examples.filter((e) => e.question).length;
  const upWeight = questions ? ((examples.length - questions) / questions) ** (options.balance ?? 0.5) : 1;
  const w = new Map<string, number>();
  const g2 = new Map<string, number>();
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const ex of shuffle([...examples], 104_729 + epoch)) {
      let z = 0;
      for (const f of ex.features) z += w.get(f) ?? 0;
      const p = 1 / (1 + Math.exp(-z));
      const g = (ex.question ? upWeight : 1) * (p - (ex.question ? 1 : 0));
      for (const f of ex.features) {
        const wf = w.get(f) ?? 0;
        const grad = g + l2 * wf;
        const acc = (g2.get(f) ?? 1e-8) + grad * grad;
        g2.set(f, acc);
        w.set(f, wf - (lr * grad) / Math.sqrt(acc));
      }
    }
  }
  return w;
}
