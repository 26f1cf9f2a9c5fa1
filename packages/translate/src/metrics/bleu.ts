/**
 * Corpus BLEU as sacreBLEU computes it by default: 13a tokenisation, n-grams up to 4, exponential
 * smoothing, one reference per sentence, brevity penalty over the corpus.
 */

const TOKENIZE_13A: ReadonlyArray<readonly [RegExp, string]> = [
  // punctuation and symbols become tokens
  [/([{-~[-` -&(-+:-@/])/g, ' $1 '],
  // period and comma unless preceded by a digit
  [/([^0-9])([.,])/g, '$1 $2 '],
  // period and comma unless followed by a digit
  [/([.,])([^0-9])/g, ' $1 $2'],
  // dash preceded by a digit
  [/([0-9])(-)/g, '$1 $2 '],
];

/** sacreBLEU's `13a` tokeniser (mteval-v13a). */
export function tokenize13a(line: string): string[] {
  let text = line
    .replace(/<skipped>/g, '')
    .replace(/-\n/g, '')
    .replace(/\n/g, ' ');
  if (text.includes('&')) {
    text = text
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>');
  }
  text = ` ${text} `;
  for (const [pattern, replacement] of TOKENIZE_13A) text = text.replace(pattern, replacement);
  return text.split(/\s+/u).filter((t) => t !== '');
}

export interface BleuResult {
  readonly score: number;
  /** n-gram precisions in percent, n = 1..4 */
  readonly precisions: readonly number[];
  readonly brevityPenalty: number;
  readonly hypothesisLength: number;
  readonly referenceLength: number;
}

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const gram = tokens.slice(i, i + n).join('\u0001');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

export function corpusBleu(
  hypotheses: readonly string[],
  references: readonly string[],
  maxOrder = 4,
): BleuResult {
  if (hypotheses.length !== references.length)
    throw new Error(
      `BLEU needs as many hypotheses (${hypotheses.length}) as references (${references.length})`,
    );
  const correct = new Array<number>(maxOrder).fill(0);
  const total = new Array<number>(maxOrder).fill(0);
  let hypothesisLength = 0;
  let referenceLength = 0;
  hypotheses.forEach((hypothesis, s) => {
    const hyp = tokenize13a(hypothesis);
    const ref = tokenize13a(references[s]);
    hypothesisLength += hyp.length;
    referenceLength += ref.length;
    for (let n = 1; n <= maxOrder; n++) {
      const refCounts = ngramCounts(ref, n);
      for (const [gram, count] of ngramCounts(hyp, n))
        correct[n - 1] += Math.min(count, refCounts.get(gram) ?? 0);
      total[n - 1] += Math.max(0, hyp.length - n + 1);
    }
  });
  const precisions = new Array<number>(maxOrder).fill(0);
  let smooth = 1;
  for (let n = 0; n < maxOrder; n++) {
    if (total[n] === 0) break;
    if (correct[n] === 0) {
      smooth *= 2;
      precisions[n] = 100 / (smooth * total[n]);
    } else precisions[n] = (100 * correct[n]) / total[n];
  }
  const brevityPenalty =
    hypothesisLength >= referenceLength
      ? 1
      : hypothesisLength > 0
        ? Math.exp(1 - referenceLength / hypothesisLength)
        : 0;
  const logSum = precisions.reduce((sum, p) => sum + (p > 0 ? Math.log(p) : -9999999999), 0);
  return {
    score: brevityPenalty * Math.exp(logSum / maxOrder),
    precisions,
    brevityPenalty,
    hypothesisLength,
    referenceLength,
  };
}
