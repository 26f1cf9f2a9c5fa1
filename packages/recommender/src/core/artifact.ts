/**
 * Model artifact: one Buffer holding a JSON header (algorithm, version, params, small state) and
 * typed-array blobs (factors, biases). Layout:
 *   "MREC" | u32 LE header byte length | header JSON (utf-8) | zero padding to 8 | blobs (each 8-aligned)
 */

const MAGIC = 'MREC';
export const ARTIFACT_FORMAT_VERSION = 1;

export type Blob = Float32Array | Float64Array | Int32Array | Uint8Array;
type DType = 'f32' | 'f64' | 'i32' | 'u8';

interface BlobEntry {
  name: string;
  dtype: DType;
  offset: number;
  length: number;
}

export interface ArtifactHeader {
  algorithm: string;
  /** Version of the algorithm's implementation/artifact layout; bump when scores would change. */
  version: string;
  params: Record<string, unknown>;
  /** When the artifact was written (ISO 8601). */
  createdAt: string;
  formatVersion: number;
}

export interface Artifact extends ArtifactHeader {
  state: Record<string, unknown>;
  blobs: Record<string, Blob>;
}

export interface ArtifactInput {
  algorithm: string;
  version: string;
  params: Record<string, unknown>;
  state?: Record<string, unknown>;
  blobs?: Record<string, Blob>;
}

function dtypeOf(b: Blob): DType {
  if (b instanceof Float32Array) return 'f32';
  if (b instanceof Float64Array) return 'f64';
  if (b instanceof Int32Array) return 'i32';
  return 'u8';
}

const align8 = (n: number) => (n + 7) & ~7;

export function writeArtifact(input: ArtifactInput): Buffer {
  const blobs = input.blobs ?? {};
  const entries: BlobEntry[] = [];
  let offset = 0;
  for (const [name, blob] of Object.entries(blobs)) {
    entries.push({ name, dtype: dtypeOf(blob), offset, length: blob.length });
    offset = align8(offset + blob.byteLength);
  }
  const header = {
    formatVersion: ARTIFACT_FORMAT_VERSION,
    algorithm: input.algorithm,
    version: input.version,
    params: input.params,
    createdAt: new Date().toISOString(),
    state: input.state ?? {},
    blobs: entries,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const start = align8(8 + headerBytes.length);
  const out = Buffer.alloc(start + offset);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(headerBytes.length, 4);
  headerBytes.copy(out, 8);
  for (const e of entries) {
    const blob = blobs[e.name]!;
    Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength).copy(out, start + e.offset);
  }
  return out;
}

interface RawHeader extends ArtifactHeader {
  state: Record<string, unknown>;
  blobs: BlobEntry[];
}

function parseHeader(buf: Buffer): { header: RawHeader; start: number } {
  if (buf.length < 8 || buf.toString('latin1', 0, 4) !== MAGIC) {
    throw new Error('Not a recommender model artifact (bad magic)');
  }
  const len = buf.readUInt32LE(4);
  const header = JSON.parse(buf.toString('utf8', 8, 8 + len)) as RawHeader;
  if (header.formatVersion !== ARTIFACT_FORMAT_VERSION) {
    throw new Error(`Unsupported artifact format version ${header.formatVersion}`);
  }
  return { header, start: align8(8 + len) };
}

/** Name, version and params without decoding the blobs (for a model registry listing). */
export function readArtifactHeader(buf: Buffer): ArtifactHeader {
  const { header } = parseHeader(buf);
  const { algorithm, version, params, createdAt, formatVersion } = header;
  return { algorithm, version, params, createdAt, formatVersion };
}

export function readArtifact(buf: Buffer): Artifact {
  const { header, start } = parseHeader(buf);
  const blobs: Record<string, Blob> = {};
  for (const e of header.blobs) {
    const begin = buf.byteOffset + start + e.offset;
    const bytes = e.length * (e.dtype === 'f64' ? 8 : e.dtype === 'u8' ? 1 : 4);
    // Copy out: the Buffer may sit at an unaligned offset of a shared pool.
    const copy = buf.buffer.slice(begin, begin + bytes) as ArrayBuffer;
    blobs[e.name] =
      e.dtype === 'f32'
        ? new Float32Array(copy)
        : e.dtype === 'f64'
          ? new Float64Array(copy)
          : e.dtype === 'i32'
            ? new Int32Array(copy)
            : new Uint8Array(copy);
  }
  const { algorithm, version, params, createdAt, formatVersion, state } = header;
  return { algorithm, version, params, createdAt, formatVersion, state, blobs };
}

export function expectAlgorithm(a: Artifact, algorithm: string): void {
  if (a.algorithm !== algorithm)
    throw new Error(`Artifact holds a ${a.algorithm} model, expected ${algorithm}`);
}

export function blobAs<T extends Blob>(a: Artifact, name: string, ctor: new (...args: never[]) => T): T {
  const b = a.blobs[name];
  if (!(b instanceof ctor)) throw new Error(`Artifact ${a.algorithm} lacks blob "${name}"`);
  return b;
}
