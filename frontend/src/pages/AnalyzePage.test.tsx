import { fireEvent, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes, useParams } from "react-router-dom";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { installFakeUpload } from "../test/fakeUpload";
import { makeProviderHealth } from "../test/jobFixtures";
import { renderWithStore } from "../test/render";
import type { ProviderHealth } from "../types/Job.types";
import { AnalyzePage } from "./AnalyzePage";

const JOB_ID = "6cf541f2-6d3f-4392-a11e-7819305b888d";
const ACCEPTED = {
  status: 202,
  body: {
    job_id: JOB_ID,
    status: "queued",
    file_info: { name: "crackme.elf", size: 4096, sha256: "ab".repeat(32), format: "elf", arch: "x86_64" },
    status_url: `/api/v1/decompile/${JOB_ID}`,
  },
};

function JobProbe() {
  return <p>Job page for {useParams().id}</p>;
}

function serveProviders(providers: ProviderHealth[]) {
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const path = new URL(request.url).pathname;
      if (path === "/api/v1/llm-providers") {
        return Response.json({ data: providers, count: providers.length, total_healthy: 1, recommended_provider: null });
      }
      return Response.json({ code: "not_found", message: `No route ${path}.`, details: null }, { status: 404 });
    }),
  );
}

function renderPage() {
  return renderWithStore(
    <Routes>
      <Route path="/analyze" element={<AnalyzePage />} />
      <Route path="/jobs/:id" element={<JobProbe />} />
    </Routes>,
    { route: "/analyze" },
  );
}

const elf = () => new File([new Uint8Array(4096).fill(0x7f)], "crackme.elf", { type: "application/octet-stream" });

describe("AnalyzePage", () => {
  const provider = makeProviderHealth({ name: "Local OpenAI" });
  beforeEach(() => serveProviders([provider]));
  afterEach(() => vi.unstubAllGlobals());

  it("refuses a file over the 100 MB limit before sending anything", async () => {
    const sent = installFakeUpload(ACCEPTED);
    renderPage();
    await screen.findByRole("radio", { name: /Local OpenAI/ });
    const huge = new File(["x"], "huge.bin");
    Object.defineProperty(huge, "size", { value: 150 * 1024 * 1024 });
    await userEvent.upload(screen.getByLabelText("Binary file"), huge);

    expect(screen.getByTestId("chosen-file")).toHaveTextContent("huge.bin · 150 MB");
    expect(screen.getByRole("alert")).toHaveTextContent("huge.bin is 150 MB; the server accepts at most 100 MB.");
    expect(screen.getByRole("button", { name: "Analyze and explain" })).toBeDisabled();
    expect(sent).toHaveLength(0);
  });

  it("sends a dropped file with the chosen provider and options, shows progress, then opens the job", async () => {
    const sent = installFakeUpload(ACCEPTED, { hold: true });
    renderPage();
    await screen.findByRole("radio", { name: /Local OpenAI/ });
    fireEvent.drop(screen.getByTestId("dropzone"), { dataTransfer: { files: [elf()] } });
    expect(screen.getByTestId("chosen-file")).toHaveTextContent("crackme.elf · 4 KB");
    await userEvent.click(screen.getByRole("combobox", { name: "Analysis depth" }));
    await userEvent.click(within(screen.getByRole("listbox")).getByRole("option", { name: /^Basic/ }));
    await userEvent.type(screen.getByRole("textbox", { name: "Function limit" }), "5");
    await userEvent.click(screen.getByRole("button", { name: "Analyze and explain" }));

    expect(await screen.findByText("Uploading: 2 KB of 4 KB")).toBeVisible();
    expect(screen.getByRole("progressbar", { name: "Uploading: 2 KB of 4 KB" })).toHaveAttribute("aria-valuenow", "50");
    expect(screen.getByRole("button", { name: "Analyze and explain" })).toBeDisabled();
    sent.finish();
    expect(await screen.findByText(`Job page for ${JOB_ID}`)).toBeVisible();
    expect(sent).toHaveLength(1);
    expect(sent[0].url).toBe(`${location.origin}/api/v1/decompile`);
    expect(sent[0].fields).toEqual({
      provider_id: provider.id,
      analysis_depth: "basic",
      translation_detail: "standard",
      function_limit: "5",
    });
    expect(sent[0].file?.name).toBe("crackme.elf");
    expect(sent[0].file?.size).toBe(4096);
  });

  it("decompiles only: no provider_id is sent and the detail does not apply", async () => {
    const sent = installFakeUpload(ACCEPTED);
    renderPage();
    await screen.findByRole("radio", { name: /Local OpenAI/ });
    await userEvent.upload(screen.getByLabelText("Binary file"), elf());
    await userEvent.click(screen.getByRole("radio", { name: "Decompile only (no LLM, no explanations)" }));
    expect(screen.getByText("No explanations when decompiling only")).toBeVisible();
    await userEvent.click(screen.getByRole("button", { name: "Decompile" }));

    expect(await screen.findByText(`Job page for ${JOB_ID}`)).toBeVisible();
    expect(sent[0].fields).toEqual({ analysis_depth: "standard", translation_detail: "standard" });
  });

  it("shows the server's refusal and stays on the page", async () => {
    installFakeUpload({
      status: 415,
      body: { code: "unsupported_format", message: "notes.txt is not an ELF, PE or Mach-O binary.", details: null },
    });
    renderPage();
    await screen.findByRole("radio", { name: /Local OpenAI/ });
    await userEvent.upload(screen.getByLabelText("Binary file"), elf());
    await userEvent.click(screen.getByRole("button", { name: "Analyze and explain" }));

    expect(await screen.findByText("notes.txt is not an ELF, PE or Mach-O binary. (unsupported_format)")).toBeVisible();
    expect(screen.queryByText(/Job page for/)).toBeNull();
    expect(screen.queryByText(/^Uploading:/)).toBeNull();
  });

  it("rejects a function limit that is not a whole number", async () => {
    installFakeUpload(ACCEPTED);
    renderPage();
    await screen.findByRole("radio", { name: /Local OpenAI/ });
    await userEvent.upload(screen.getByLabelText("Binary file"), elf());
    await userEvent.type(screen.getByRole("textbox", { name: "Function limit" }), "0");
    expect(screen.getByText("A whole number of at least 1")).toBeVisible();
    expect(screen.getByRole("button", { name: "Analyze and explain" })).toBeDisabled();
  });
});
