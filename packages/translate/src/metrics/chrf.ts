/**
 * Corpus chrF as sacreBLEU computes it by default: character n-grams 1..6, whitespace removed, β = 2,
 * statistics summed over the corpus, F from the precision and recall averaged over the orders.
 */
function charNgrams(text: string, n: number): Map<string, number> {
  const chars = Array.from(text.split(/\s+/u).join(''));
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= chars.length; i++) {
    const gram = chars.slice(i, i + n).join('');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

export function corpusChrf(
  hypotheses: readonly string[],
  references: readonly string[],
  charOrder = 6,
  beta = 2,
): number {
  if (hypotheses.length !== references.length)
    throw new Error(
      `chrF needs as many hypotheses (${hypotheses.length}) as references (${references.length})`,
    );
  const hypCount = new Array<number>(charOrder).fill(0);
  const refCount = new Array<number>(charOrder).fill(0);
  const matches = new Array<number>(charOrder).fill(0);
  hypotheses.forEach((hypothesis, s) => {
    for (let n = 1; n <= charOrder; n++) {
      const hyp = charNgrams(hypothesis, n);
      const ref = charNgrams(references[s], n);
      for (const count of hyp.values()) hypCount[n - 1] += count;
      for (const [gram, count] of ref) {
        refCount[n - 1] += count;
        matches[n - 1] += Math.min(count, hyp.get(gram) ?? 0);
      }
    }
  });
  const factor = beta * beta;
  let precision = 0;
  let recall = 0;
  let effectiveOrder = 0;
  for (let n = 0; n < charOrder; n++) {
    if (hypCount[n] > 0 && refCount[n] > 0) {
      precision += matches[n] / hypCount[n];
      recall += matches[n] / refCount[n];
      effectiveOrder++;
    }
  }
  if (effectiveOrder === 0) return 0;
  precision /= effectiveOrder;
  recall /= effectiveOrder;
  if (precision + recall === 0) return 0;
  return (100 * (1 + factor) * precision * recall) / (factor * precision + recall);
}
