import { DomainError } from '@media-ai/core';
import type { MediaAsset } from '@media-ai/db';
import { DERIVATIVE_KINDS, MAX_ALT_TEXT } from './constants.js';

/*
 * The vision area's checks of what a user asks, shared by the API (before a job is queued) and the
 * worker (before a job runs): a DomainError with a message that says what to fix. A job fails at once
 * on one, without retries.
 */

/** The asset, which must exist and be an image: vision jobs take images only. */
export function checkImageAsset(asset: MediaAsset | null | undefined, assetId: string): MediaAsset {
  if (!asset) throw new DomainError('NOT_FOUND', `Asset ${assetId} was not found (was it deleted?)`);
  if (asset.kind !== 'image') {
    throw new DomainError(
      'BAD_USER_INPUT',
      `Asset ${assetId} is not an image (it is ${asset.kind}, ${asset.mimeType}); vision jobs take images only`,
    );
  }
  return asset;
}

/** Confidence of object tags, 0 to 1. */
export function checkConfidence(minConfidence: number): number {
  if (!(minConfidence >= 0 && minConfidence <= 1))
    throw new DomainError('BAD_USER_INPUT', 'minConfidence of tags is 0 to 1 (e.g. 0.5)');
  return minConfidence;
}

/** Confidence of OCR lines, a percentage. */
export function checkOcrConfidence(minConfidence: number): number {
  if (!(minConfidence >= 0 && minConfidence <= 100))
    throw new DomainError('BAD_USER_INPUT', 'minConfidence of OCR is a percentage, 0 to 100 (e.g. 60)');
  return minConfidence;
}

/** Most differing bits of two perceptual hashes for a near-duplicate. */
export function checkDistance(maxDistance: number): number {
  if (!Number.isInteger(maxDistance) || maxDistance < 0 || maxDistance > 32) {
    throw new DomainError(
      'BAD_USER_INPUT',
      'maxDistance must be a whole number from 0 to 32 (10 finds edited copies)',
    );
  }
  return maxDistance;
}

/** The analyses asked for, each once; all of them when none are named. */
export function checkAnalyses<A extends string>(
  asked: readonly string[] | null | undefined,
  known: readonly A[],
): A[] {
  const chosen = asked?.length ? [...new Set(asked)] : [...known];
  const unknown = chosen.filter((a) => !(known as readonly string[]).includes(a));
  if (unknown.length > 0) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `Unknown analyses ${unknown.join(', ')}; choose from ${known.join(', ')}`,
    );
  }
  return chosen as A[];
}

/** The derivative kinds asked for, each once; at least one. */
export function checkDerivativeKinds<K extends string>(kinds: readonly K[]): K[] {
  const chosen = [...new Set(kinds)];
  if (chosen.length === 0)
    throw new DomainError('BAD_USER_INPUT', 'Ask for at least one derivative kind, e.g. [THUMBNAIL]');
  const unknown = chosen.filter((k) => !(DERIVATIVE_KINDS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new DomainError(
      'BAD_USER_INPUT',
      `Unknown derivative kinds ${unknown.join(', ')}; choose from ${DERIVATIVE_KINDS.join(', ')}`,
    );
  }
  return chosen;
}

/** An editor's alt text with its white space folded; null (drop the editor's version) when empty. */
export function cleanAltText(text: string | null | undefined): string | null {
  const clean = text?.replace(/\s+/g, ' ').trim() || null;
  if (clean && clean.length > MAX_ALT_TEXT)
    throw new DomainError(
      'BAD_USER_INPUT',
      `Alt text must be at most ${MAX_ALT_TEXT} characters (it has ${clean.length})`,
    );
  return clean;
}

/** A person's name, trimmed and not blank. */
export function cleanName(name: string): string {
  const clean = name.trim();
  if (!clean) throw new DomainError('BAD_USER_INPUT', 'name must not be blank');
  return clean;
}
