import { apiErrorFrom } from '../api/errors';

export interface DownloadProgress {
  readonly bytes: number;
  readonly lines: number;
}

/**
 * Streams a GET answer into a file the browser saves, reporting bytes and lines as they arrive (an
 * export's size is not known up front). Throws ApiError for a refusal; `signal` cancels it.
 */
export async function streamDownload(
  url: string,
  filename: string,
  onProgress: (p: DownloadProgress) => void,
  signal: AbortSignal,
): Promise<DownloadProgress> {
  const res = await fetch(url, { credentials: 'same-origin', signal, headers: { Accept: '*/*' } });
  if (!res.ok) {
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: the status says enough
    }
    throw apiErrorFrom(res.status, body, res.headers);
  }
  const type = res.headers.get('Content-Type') ?? 'application/octet-stream';
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let bytes = 0;
  let lines = 0;
  const reader = res.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      bytes += value.byteLength;
      for (const b of value) if (b === 10) lines++;
      onProgress({ bytes, lines });
    }
  }
  const blob = new Blob(chunks, { type });
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
  return { bytes, lines };
}
