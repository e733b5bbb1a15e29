// An in-memory stand-in for a job's result slices (`/api/v1/jobs/{id}/functions|strings|imports`
// and `/functions/{address}`), installed as `fetch`: it filters, sorts and pages like the server
// (search, library, failed, sort, order, limit, offset) and records every query.
import { vi } from "vitest";
import type { FunctionDetail, FunctionRow, ImportRow, JobOverview, StringRow } from "../types/Result.types";

export interface RecordedQuery {
  path: string;
  query: Record<string, string>;
}

const notFound = (code: string) => Response.json({ code, message: code, details: null }, { status: 404 });

function page<T>(rows: T[], query: Record<string, string>) {
  const offset = Number(query.offset ?? 0);
  return Response.json({ data: rows.slice(offset, offset + Number(query.limit ?? 100)), count: rows.length });
}

function sorted<T>(rows: T[], key: (row: T) => number | string, order: string | undefined): T[] {
  const out = [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return order === "desc" ? out.reverse() : out;
}

export class FakeResults {
  functions: FunctionRow[] = [];
  details = new Map<number, FunctionDetail>();
  strings: StringRow[] = [];
  imports: ImportRow[] = [];
  queries: RecordedQuery[] = [];
  /** What `GET /jobs/{id}` answers (404 `job_not_found` while null). */
  overview: JobOverview | null = null;

  install(): this {
    vi.stubGlobal("fetch", vi.fn(async (request: Request) => this.handle(request)));
    return this;
  }

  /** The queries sent to one list (`functions`, `strings`, `imports`), in order. */
  sent(list: string): Record<string, string>[] {
    return this.queries.filter((q) => q.path.endsWith(`/${list}`)).map((q) => q.query);
  }

  private handle(request: Request): Response {
    const url = new URL(request.url);
    const path = url.pathname.replace(/^\/api\/v1/, "");
    const query = Object.fromEntries(url.searchParams);
    this.queries.push({ path, query });
    const needle = (query.search ?? "").toLowerCase();
    if (/^\/jobs\/[^/]+$/.test(path)) return this.overview ? Response.json(this.overview) : notFound("job_not_found");
    if (path.endsWith("/functions")) {
      const rows = this.functions.filter(
        (f) =>
          (!needle || f.name.toLowerCase().includes(needle) || (f.summary ?? "").toLowerCase().includes(needle)) &&
          (query.library === undefined || String(f.is_library) === query.library) &&
          (query.failed === undefined || String(Boolean(f.decompile_error) || f.explanation_status === "failed") === query.failed),
      );
      const key = (f: FunctionRow) => (query.sort === "size" ? f.size : query.sort === "name" ? f.name : f.address);
      return page(sorted(rows, key, query.order), query);
    }
    const detail = path.match(/\/functions\/0x([0-9a-f]+)$/);
    if (detail) {
      const found = this.details.get(Number.parseInt(detail[1], 16));
      return found ? Response.json(found) : notFound("function_not_found");
    }
    if (path.endsWith("/strings")) {
      const rows = this.strings.filter(
        (s) => !needle || s.value.toLowerCase().includes(needle) || `0x${s.address.toString(16)}`.includes(needle),
      );
      return page(sorted(rows, (s) => (query.sort === "references" ? s.referenced_by.length : s.address), query.order), query);
    }
    if (path.endsWith("/imports")) {
      const rows = this.imports.filter(
        (i) => (!needle || i.name.toLowerCase().includes(needle)) && (!query.capability || i.capabilities.includes(query.capability as never)),
      );
      return page(sorted(rows, (i) => i.name, query.order), query);
    }
    return notFound("not_found");
  }
}
