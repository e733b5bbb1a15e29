// `POST /api/v1/decompile` through XMLHttpRequest, the one browser API that reports upload
// progress. The File and the progress callback wait here, behind an opaque reference, because
// RTK Query keeps mutation arguments in the store and both are not serializable.

/** What the server answered: HTTP status and the parsed JSON body (null when not JSON). */
export interface UploadAnswer {
  status: number;
  body: unknown;
}

/** Bytes sent so far and the total, as the browser reports them. */
export type UploadProgress = (loaded: number, total: number) => void;

interface PendingUpload {
  file: File;
  onProgress?: UploadProgress;
}

const pending = new Map<string, PendingUpload>();
let counter = 0;

/** Keep `file` (and its progress callback) in memory; returns the reference to pass along. */
export function handOffUpload(file: File, onProgress?: UploadProgress): string {
  counter += 1;
  const ref = `upload:${counter}`;
  pending.set(ref, { file, onProgress });
  return ref;
}

/** The upload behind `ref`, forgotten once claimed; undefined when absent. */
export function claimUpload(ref: string): PendingUpload | undefined {
  const upload = pending.get(ref);
  pending.delete(ref);
  return upload;
}

/**
 * Send `form` as multipart to `url`. Resolves with any HTTP answer (2xx or not); rejects with
 * `TypeError("network")` when no answer came back.
 */
export function postMultipart(
  url: string,
  form: FormData,
  { token, onProgress }: { token: string | null; onProgress?: UploadProgress },
): Promise<UploadAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    if (token) xhr.setRequestHeader("authorization", `Bearer ${token}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress?.(event.loaded, event.total);
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new TypeError("network"));
    xhr.send(form);
  });
}
