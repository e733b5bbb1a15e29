import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderWithStore } from "../../test/render";
import { FunctionActions, JobActions } from "./OnDemandActions";

const JOB = "11111111-1111-4111-8111-111111111111";
const SMALL = "22222222-2222-4222-8222-222222222222";

function answer(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** A fetch stand-in: POSTs answer `post`, GETs of the small job answer it completed. */
function stubFetch(post: Response) {
  const calls: { method: string; url: string; body: string }[] = [];
  const fetch = vi.fn(async (input: Request) => {
    calls.push({ method: input.method, url: new URL(input.url).pathname, body: await input.text() });
    if (input.method === "POST") return post.clone();
    return answer(200, { id: SMALL, kind: "explain", status: "completed", error: null });
  });
  vi.stubGlobal("fetch", fetch);
  return calls;
}

afterEach(() => vi.unstubAllGlobals());

describe("on-demand actions", () => {
  it("decompiles one function and shows the small job's state", async () => {
    const calls = stubFetch(answer(202, { id: SMALL, kind: "decompile", status: "queued", error: null }));
    renderWithStore(<FunctionActions jobId={JOB} address="0x4011c1" decompiled={false} explained={false} />);
    await userEvent.click(screen.getByRole("button", { name: "Decompile" }));
    expect(await screen.findByRole("status")).toHaveTextContent("completed");
    expect(calls[0]).toEqual({ method: "POST", url: `/api/v1/jobs/${JOB}/functions/0x4011c1/decompile`, body: "" });
  });

  it("explains the rest and shows a refusal's message and code", async () => {
    const calls = stubFetch(answer(409, { code: "nothing_to_explain", message: "nothing to explain for scope 'rest'", details: null }));
    renderWithStore(<JobActions jobId={JOB} />);
    await userEvent.click(screen.getByRole("button", { name: "Explain the rest" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("nothing to explain for scope 'rest' (nothing_to_explain)");
    expect(calls).toEqual([{ method: "POST", url: `/api/v1/jobs/${JOB}/explain`, body: '{"scope":"rest"}' }]);
  });

  it("hides Decompile for a decompiled function", () => {
    stubFetch(answer(202, {}));
    renderWithStore(<FunctionActions jobId={JOB} address="0x4011c1" decompiled explained />);
    expect(screen.queryByRole("button", { name: "Decompile" })).toBeNull();
    expect(screen.getByRole("button", { name: "Explain again" })).toBeVisible();
  });
});
