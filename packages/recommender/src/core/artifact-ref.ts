import { createHash } from 'node:crypto';

/*
 * Large artifacts (a million-item model, a vector index) do not belong in a database row: they are
 * kept as content-addressed files in storage, and the row holds a small reference instead:
 *   "MREF" | u32 LE JSON length | {"storageKey", "sha256", "bytes", "kind"}
 * Readers resolve a reference with the storage they have; bytes that are not a reference are the
 * artifact itself.
 */

const MAGIC = 'MREF';

export interface ArtifactReference {
  storageKey: string;
  sha256: string;
  bytes: number;
  /** What the file holds: 'model' (a model artifact) or 'vector-index'. */
  kind: string;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function encodeArtifactReference(ref: ArtifactReference): Buffer {
  const json = Buffer.from(JSON.stringify(ref), 'utf8');
  const out = Buffer.alloc(8 + json.length);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(json.length, 4);
  json.copy(out, 8);
  return out;
}

/** The reference held in `bytes`, or null when they are an artifact themselves. */
export function decodeArtifactReference(bytes: Uint8Array): ArtifactReference | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 8 || b.toString('latin1', 0, 4) !== MAGIC) return null;
  const ref = JSON.parse(b.toString('utf8', 8, 8 + b.readUInt32LE(4))) as ArtifactReference;
  if (typeof ref.storageKey !== 'string' || typeof ref.sha256 !== 'string')
    throw new Error('Artifact reference is missing its storage key or checksum');
  return ref;
}

/**
 * The artifact bytes behind a row's `artifact`: the bytes themselves, or the referenced file read
 * with `read` and checked against its checksum.
 */
export async function resolveArtifact(
  bytes: Uint8Array,
  read: (storageKey: string) => Promise<Buffer>,
): Promise<Buffer> {
  const ref = decodeArtifactReference(bytes);
  if (!ref) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const data = await read(ref.storageKey);
  if (data.length !== ref.bytes || sha256Hex(data) !== ref.sha256)
    throw new Error(
      `Stored ${ref.kind} ${ref.storageKey} does not match its checksum (${data.length} bytes, expected ${ref.bytes})`,
    );
  return data;
}
