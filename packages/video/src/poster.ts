/** What the poster choice knows of each scene's keyframe. */
export interface PosterCandidate {
  sharpness: number;
  brightness: number;
  /** Faces found on the keyframe, as fractions of the frame's area. */
  faceAreas: number[];
}

export interface PosterChoice {
  index: number;
  score: number;
  reason: string;
}

/** Variance of the Laplacian (at 480 px wide) above which a frame counts as fully sharp: the usual blur cut-off. */
export const SHARP_ENOUGH = 100;

/**
 * The keyframe that makes the best poster: sharp (full marks from SHARP_ENOUGH up, so a busy graphic
 * does not beat a sharp enough face), with faces (the larger the better, up to a fifth of the frame),
 * and neither black nor blown out.
 */
export function choosePoster(candidates: PosterCandidate[]): PosterChoice | null {
  if (candidates.length === 0) return null;
  let best: PosterChoice | null = null;
  candidates.forEach((c, index) => {
    const sharp = Math.min(1, c.sharpness / SHARP_ENOUGH);
    const largest = c.faceAreas.length ? Math.max(...c.faceAreas) : 0;
    const faces = c.faceAreas.length ? 0.5 + 0.5 * Math.min(1, largest / 0.2) : 0;
    const exposure = c.brightness < 30 || c.brightness > 235 ? 0.3 : 1;
    const score = Math.round((0.5 * sharp + 0.5 * faces) * exposure * 1000) / 1000;
    if (!best || score > best.score) {
      const reason = [
        sharp >= 1 ? 'sharp' : `sharpness ${Math.round(sharp * 100)}% of sharp`,
        c.faceAreas.length ? `${c.faceAreas.length} face(s)` : 'no faces',
        exposure < 1 ? 'badly exposed' : null,
      ]
        .filter(Boolean)
        .join(', ');
      best = { index, score, reason };
    }
  });
  return best;
}
