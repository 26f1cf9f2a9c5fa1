import { ApiError, authHeader, errorFromBody } from './client.js';

export interface UploadedAsset {
  id: string;
  filename: string;
  mimeType: string;
  kind: string;
  sizeBytes: string;
  checksum: string;
  duplicate: boolean;
}

/** POST /v1/assets (multipart field "file") with XMLHttpRequest, for its upload progress events. */
export function uploadAsset(
  file: File,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<UploadedAsset> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/v1/assets');
    for (const [k, v] of Object.entries(authHeader())) xhr.setRequestHeader(k, v);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(xhr.response as UploadedAsset);
      } else reject(errorFromBody(xhr.response, xhr.status));
    };
    xhr.onerror = () => reject(new ApiError('The upload could not reach the server', 'NETWORK'));
    xhr.onabort = () => reject(new ApiError('The upload was cancelled', 'CANCELLED'));
    signal?.addEventListener('abort', () => xhr.abort());
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
