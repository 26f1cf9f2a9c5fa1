import { useEffect, useState } from 'preact/hooks';
import { objectUrl } from '../api/files.js';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A face cut out of its original image (fetched with the API key), drawn at `size` pixels. */
export function FaceCrop({
  assetId,
  box,
  label,
  size = 72,
}: {
  assetId: string;
  box: Box;
  label: string;
  size?: number;
}) {
  const [src, setSrc] = useState<string | null>(null);
  const [natural, setNatural] = useState<{ w: number; h: number } | null>(null);
  useEffect(() => {
    let live = true;
    objectUrl(`/v1/assets/${assetId}/content`).then(
      (u) => live && setSrc(u),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [assetId]);
  const pad = 0.15;
  const side = Math.max(box.width, box.height) * (1 + 2 * pad);
  const scale = size / side;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  return (
    <span
      class="face-crop"
      style={{ width: `${size}px`, height: `${size}px` }}
      role="img"
      aria-label={label}
      title={label}
    >
      {src && (
        <img
          src={src}
          alt=""
          onLoad={(e) => setNatural({ w: e.currentTarget.naturalWidth, h: e.currentTarget.naturalHeight })}
          style={
            natural
              ? {
                  width: `${natural.w * scale}px`,
                  height: `${natural.h * scale}px`,
                  left: `${-(cx - side / 2) * scale}px`,
                  top: `${-(cy - side / 2) * scale}px`,
                }
              : { visibility: 'hidden' }
          }
        />
      )}
    </span>
  );
}
