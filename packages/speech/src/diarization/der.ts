/** A stretch of speech by one speaker. */
export interface SpeakerTurn {
  start: number;
  end: number;
  speaker: string;
}

export interface DerResult {
  /** (missed + false alarm + confusion) / scored reference speech. */
  der: number;
  missedSec: number;
  falseAlarmSec: number;
  confusionSec: number;
  /** Reference speech scored (outside the collars). */
  scoredSec: number;
  /** Hypothesis speaker → reference speaker, the mapping that maximises their overlap. */
  mapping: Map<string, string>;
}

const STEP = 0.01;

/**
 * Diarization error rate as NIST's md-eval scores it: time within `collarSec` of a reference turn's start
 * or end is not scored (0.25 s, the usual collar), hypothesis speakers are mapped one-to-one onto
 * reference speakers to maximise overlap, and missed speech, false alarm and speaker confusion are summed
 * over the scored reference speech. Computed on a 10 ms grid.
 */
export function diarizationErrorRate(
  reference: readonly SpeakerTurn[],
  hypothesis: readonly SpeakerTurn[],
  options: { collarSec?: number } = {},
): DerResult {
  const collar = options.collarSec ?? 0.25;
  const end = Math.max(0, ...reference.map((t) => t.end), ...hypothesis.map((t) => t.end));
  const frames = Math.ceil(end / STEP) + 1;
  const refNames = [...new Set(reference.map((t) => t.speaker))];
  const hypNames = [...new Set(hypothesis.map((t) => t.speaker))];
  const mark = (turns: readonly SpeakerTurn[], names: string[]) =>
    names.map((name) => {
      const on = new Uint8Array(frames);
      for (const t of turns) {
        if (t.speaker !== name) continue;
        for (let f = Math.round(t.start / STEP); f < Math.round(t.end / STEP); f++) on[f] = 1;
      }
      return on;
    });
  const ref = mark(reference, refNames);
  const hyp = mark(hypothesis, hypNames);
  const scored = new Uint8Array(frames).fill(1);
  for (const t of reference) {
    for (const edge of [t.start, t.end]) {
      for (
        let f = Math.max(0, Math.round((edge - collar) / STEP));
        f < Math.min(frames, Math.round((edge + collar) / STEP));
        f++
      )
        scored[f] = 0;
    }
  }
  // Overlap of each hypothesis speaker with each reference speaker over scored frames.
  const overlap = hypNames.map((_, h) =>
    refNames.map((_, r) => {
      let n = 0;
      for (let f = 0; f < frames; f++) if (scored[f] && hyp[h]![f] && ref[r]![f]) n++;
      return n;
    }),
  );
  const pairs = bestAssignment(overlap);
  let missed = 0;
  let falseAlarm = 0;
  let confusion = 0;
  let total = 0;
  for (let f = 0; f < frames; f++) {
    if (!scored[f]) continue;
    let nRef = 0;
    let nHyp = 0;
    let correct = 0;
    for (const r of ref) nRef += r[f]!;
    for (const h of hyp) nHyp += h[f]!;
    for (const [h, r] of pairs) if (hyp[h]![f] && ref[r]![f]) correct++;
    total += nRef;
    missed += Math.max(0, nRef - nHyp);
    falseAlarm += Math.max(0, nHyp - nRef);
    confusion += Math.min(nRef, nHyp) - correct;
  }
  return {
    der: total > 0 ? (missed + falseAlarm + confusion) / total : 0,
    missedSec: missed * STEP,
    falseAlarmSec: falseAlarm * STEP,
    confusionSec: confusion * STEP,
    scoredSec: total * STEP,
    mapping: new Map(pairs.map(([h, r]) => [hypNames[h]!, refNames[r]!])),
  };
}

/** The one-to-one pairing of rows and columns with the largest total (exhaustive: speakers are few). */
function bestAssignment(weights: number[][]): Array<[number, number]> {
  const rows = weights.length;
  const cols = weights[0]?.length ?? 0;
  let best: Array<[number, number]> = [];
  let bestScore = -1;
  const used = new Array<boolean>(cols).fill(false);
  const current: Array<[number, number]> = [];
  const visit = (row: number, score: number) => {
    if (row === rows) {
      if (score > bestScore) [bestScore, best] = [score, [...current]];
      return;
    }
    visit(row + 1, score);
    for (let c = 0; c < cols; c++) {
      if (used[c]) continue;
      used[c] = true;
      current.push([row, c]);
      visit(row + 1, score + weights[row]![c]!);
      current.pop();
      used[c] = false;
    }
  };
  if (rows <= 8 && cols <= 8) visit(0, 0);
  else {
    // Many speakers: greedy by largest overlap.
    const cells = weights.flatMap((r, i) => r.map((w, j) => [w, i, j] as const)).sort((a, b) => b[0] - a[0]);
    const rUsed = new Set<number>();
    const cUsed = new Set<number>();
    for (const [, i, j] of cells) {
      if (rUsed.has(i) || cUsed.has(j)) continue;
      rUsed.add(i);
      cUsed.add(j);
      best.push([i, j]);
    }
  }
  return best;
}
