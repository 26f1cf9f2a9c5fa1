import { rougeN, rougeTokens } from '../eval/rouge.js';
import type { PreparedDocument } from './document.js';

/**
 * Greedy extractive oracle: add the sentence that most improves ROUGE-1 + ROUGE-2 F against the reference,
 * until nothing improves or maxSentences is reached. Returns chosen indices.
 */
export function greedyOracle(doc: PreparedDocument, reference: string, maxSentences = 3): number[] {
  const ref = rougeTokens(reference);
  const sentTokens = doc.sentences.map((s) => rougeTokens(s.text));
  const chosen: number[] = [];
  let best = 0;
  for (let step = 0; step < maxSentences; step++) {
    let bestIdx = -1;
    for (let i = 0; i < sentTokens.length; i++) {
      if (chosen.includes(i)) continue;
      const cand = [...chosen, i].sort((a, b) => a - b).flatMap((k) => sentTokens[k]);
      const score = rougeN(cand, ref, 1).f + rougeN(cand, ref, 2).f;
      if (score > best + 1e-9) {
        best = score;
        bestIdx = i;
      }
    }
    if (bestIdx < 0) break;
    chosen.push(bestIdx);
  }
  return chosen.sort((a, b) => a - b);
}

/** Soft labels: each sentence's own ROUGE-1/2 F against the reference, scaled to [0, 1] per article. */
export function rougeLabels(doc: PreparedDocument, reference: string): number[] {
  const ref = rougeTokens(reference);
  const raw = doc.sentences.map((s) => {
    const t = rougeTokens(s.text);
    return (rougeN(t, ref, 1).f + rougeN(t, ref, 2).f) / 2;
  });
  const max = Math.max(1e-9, ...raw);
  return raw.map((x) => x / max);
}
