// A stand-in for XMLHttpRequest (the upload transport): records what was sent, reports upload
// progress (half the file), and answers with `answer`: at once, or when `finish()` is called if
// `hold` is set (to see the page while the upload is in flight).
import { vi } from "vitest";

export interface SentUpload {
  url: string;
  headers: Record<string, string>;
  fields: Record<string, string>;
  file: File | null;
}

export function installFakeUpload(answer: { status: number; body: unknown }, { hold = false } = {}) {
  const sent: SentUpload[] = [];
  const held: (() => void)[] = [];
  class FakeXHR {
    upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null };
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    status = 0;
    responseText = "";
    private url = "";
    private headers: Record<string, string> = {};
    open(_method: string, url: string) {
      this.url = url;
    }
    setRequestHeader(name: string, value: string) {
      this.headers[name] = value;
    }
    send(form: FormData) {
      const fields: Record<string, string> = {};
      let file: File | null = null;
      form.forEach((value, key) => {
        if (value instanceof File) file = value;
        else fields[key] = value;
      });
      sent.push({ url: this.url, headers: this.headers, fields, file });
      const total = file ? (file as File).size : 0;
      setTimeout(() => this.upload.onprogress?.({ lengthComputable: true, loaded: Math.floor(total / 2), total }), 0);
      const respond = () => {
        this.status = answer.status;
        this.responseText = JSON.stringify(answer.body);
        this.onload?.();
      };
      if (hold) held.push(respond);
      else setTimeout(respond, 20);
    }
  }
  vi.stubGlobal("XMLHttpRequest", FakeXHR);
  return Object.assign(sent, { finish: () => held.splice(0).forEach((respond) => respond()) });
}
