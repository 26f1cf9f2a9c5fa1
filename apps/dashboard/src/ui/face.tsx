import { useEffect, useState } from 'preact/hooks';
import { objectUrl } from '../api/files.js';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * A face, drawn at `size` pixels from the API's crop of it (a few kilobytes, at twice the size for
 * sharp screens) rather than from its original photo.
 */
export function FaceCrop({ faceId, label, size = 72 }: { faceId: string; label: string; size?: number }) {
  const [src, setSrc] = useState<string | null>(null);
  const path = `/v1/faces/${faceId}/crop?size=${2 * size}`;
  useEffect(() => {
    let live = true;
    objectUrl(path).then(
      (u) => live && setSrc(u),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [path]);
  return (
    <span
      class="face-crop"
      style={{ width: `${size}px`, height: `${size}px` }}
      role="img"
      aria-label={label}
      title={label}
    >
      {src && <img src={src} alt="" width={size} height={size} />}
    </span>
  );
}
