import { screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ProviderSelector } from "../../components/upload/ProviderSelector";
import { makeProviderHealth } from "../../test/jobFixtures";
import { renderWithStore } from "../../test/render";
import type { ProviderHealth } from "../../types/Job.types";
import { useProviderHealth } from "./providerHealthApi";

const hoursAgo = (n: number) => new Date(Date.now() - n * 3600_000 - 60_000).toISOString();
const listing = (data: ProviderHealth[]) => ({
  data,
  count: data.length,
  total_healthy: data.filter((p) => p.health === "healthy").length,
  recommended_provider: null,
  max_age_s: 3600,
});

/** Answers GET /llm-providers with `lists` in turn (the last one repeats) and POST
 * /llm-providers/refresh-stale with `refreshed` once `gate` resolves; records the requests. */
function serve(lists: ProviderHealth[][], refreshed: ProviderHealth[], gate: Promise<void> = Promise.resolve()) {
  const requests: string[] = [];
  let reads = 0;
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const path = new URL(request.url).pathname;
      requests.push(`${request.method} ${path}`);
      if (path === "/api/v1/llm-providers") {
        return Response.json(listing(lists[Math.min(reads++, lists.length - 1)]));
      }
      if (path === "/api/v1/llm-providers/refresh-stale") {
        await gate;
        return Response.json(listing(refreshed));
      }
      return Response.json({ code: "not_found", message: path, details: null }, { status: 404 });
    }),
  );
  return requests;
}

function Page() {
  const health = useProviderHealth();
  return (
    <ProviderSelector
      providers={health.data?.data}
      loading={health.isLoading}
      value={null}
      onChange={() => {}}
      recheckingIds={health.recheckingIds}
    />
  );
}

afterEach(() => vi.unstubAllGlobals());

describe("useProviderHealth", () => {
  it("shows the stale health at once, re-checks it once, then shows the new answer", async () => {
    const stale = makeProviderHealth({ name: "Work", last_checked_at: hoursAgo(2), stale: true });
    const fresh = { ...stale, health: "unhealthy" as const, error_code: "auth_failed", checked_by: "probe" as const,
                    last_checked_at: new Date().toISOString(), stale: false };  // prettier-ignore
    let release: () => void = () => {};
    const requests = serve([[stale]], [fresh], new Promise<void>((resolve) => (release = resolve)));
    renderWithStore(<Page />);
    expect(await screen.findByText("checked 2 h ago")).toBeVisible();
    expect(screen.getByText("Healthy")).toBeVisible();
    expect(screen.getByText(/re-checking…/)).toBeVisible();
    release();
    expect(await screen.findByText("Unhealthy: auth_failed")).toBeVisible();
    expect(screen.getByText("checked just now")).toBeVisible();
    expect(screen.queryByText(/re-checking/)).toBeNull();
    expect(screen.queryByText("Healthy")).toBeNull();
    expect(requests).toEqual(["GET /api/v1/llm-providers", "POST /api/v1/llm-providers/refresh-stale"]);
  });

  it("asks for nothing when no health is stale", async () => {
    const recent = makeProviderHealth({ name: "Work", last_checked_at: new Date().toISOString() });
    const untested = makeProviderHealth({ name: "New", health: "untested", last_checked_at: null, checked_by: null });
    const requests = serve([[recent, untested]], []);
    renderWithStore(<Page />);
    expect(await screen.findByText("checked just now")).toBeVisible();
    expect(screen.queryByText(/re-checking/)).toBeNull();
    expect(requests).toEqual(["GET /api/v1/llm-providers"]);
  });

  it("waits for another viewer's probe by reading the list again until it answered", async () => {
    const probing = makeProviderHealth({ name: "Work", last_checked_at: hoursAgo(3), stale: true, probing: true });
    const done = { ...probing, stale: false, probing: false, checked_by: "probe" as const,
                   last_checked_at: new Date().toISOString() };  // prettier-ignore
    const requests = serve([[probing], [done]], []);
    renderWithStore(<Page />);
    expect(await screen.findByText("checked 3 h ago")).toBeVisible();
    expect(screen.getByText(/re-checking…/)).toBeVisible();
    expect(await screen.findByText("checked just now", {}, { timeout: 5000 })).toBeVisible();
    await waitFor(() => expect(screen.queryByText(/re-checking/)).toBeNull());
    expect(requests).toEqual(["GET /api/v1/llm-providers", "GET /api/v1/llm-providers"]);
  });
});
