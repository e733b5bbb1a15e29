import { fireEvent, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes, useParams } from "react-router-dom";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { HEALTH } from "../test/fakeServer";
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

/**
 * Answer the page's reads: the providers, and the health with the upload limit `maxUploadBytes`
 * (null: the health request fails, as when the server cannot be asked). Records request paths.
 */
function serve(providers: ProviderHealth[], maxUploadBytes: number | null = HEALTH.max_upload_bytes) {
  const paths: string[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (request: Request) => {
      const path = new URL(request.url).pathname;
      paths.push(path);
      if (path === "/api/v1/llm-providers") {
        return Response.json({ data: providers, count: providers.length, total_healthy: 1, recommended_provider: null });
      }
      if (path === "/api/v1/health" && maxUploadBytes !== null) {
        return Response.json({ ...HEALTH, max_upload_bytes: maxUploadBytes });
      }
      if (path === "/api/v1/health") {
        return Response.json({ code: "internal_error", message: "database down", details: null }, { status: 500 });
      }
      return Response.json({ code: "not_found", message: `No route ${path}.`, details: null }, { status: 404 });
    }),
  );
  return paths;
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
  beforeEach(() => void serve([provider]));
  afterEach(() => vi.unstubAllGlobals());

  const sized = (name: string, size: number) => {
    const file = new File(["x"], name);
    Object.defineProperty(file, "size", { value: size });
    return file;
  };

  it("refuses a file over the server's upload limit before sending anything", async () => {
    const paths = serve([provider], 1024 * 1024);
    const sent = installFakeUpload(ACCEPTED);
    renderPage();
    await screen.findByRole("radio", { name: /Local OpenAI/ });
    expect(await screen.findByText(/at most 1 MB\), or/)).toBeVisible();
    expect(paths).toContain("/api/v1/health");
    await userEvent.upload(screen.getByLabelText("Binary file"), sized("big.bin", 2 * 1024 * 1024));

    expect(screen.getByTestId("chosen-file")).toHaveTextContent("big.bin · 2 MB");
    expect(screen.getByRole("alert")).toHaveTextContent("big.bin is 2 MB; the server accepts at most 1 MB.");
    expect(screen.getByRole("button", { name: "Analyze and explain" })).toBeDisabled();
    expect(sent).toHaveLength(0);
  });

  it("accepts a file over 100 MB when the server allows more", async () => {
    serve([provider], 200 * 1024 * 1024);
    installFakeUpload(ACCEPTED);
    renderPage();
    await screen.findByRole("radio", { name: /Local OpenAI/ });
    expect(await screen.findByText(/at most 200 MB\), or/)).toBeVisible();
    await userEvent.upload(screen.getByLabelText("Binary file"), sized("huge.bin", 150 * 1024 * 1024));

    expect(screen.getByTestId("chosen-file")).toHaveTextContent("huge.bin · 150 MB");
    expect(screen.queryByRole("alert")).toBeNull();
    expect(screen.getByRole("button", { name: "Analyze and explain" })).toBeEnabled();
  });

  it("falls back to 100 MB when the server's health cannot be read", async () => {
    const paths = serve([provider], null);
    const sent = installFakeUpload(ACCEPTED);
    renderPage();
    await screen.findByRole("radio", { name: /Local OpenAI/ });
    await vi.waitFor(() => expect(paths).toContain("/api/v1/health"));
    expect(screen.getByText(/at most 100 MB\), or/)).toBeVisible();
    await userEvent.upload(screen.getByLabelText("Binary file"), sized("huge.bin", 150 * 1024 * 1024));

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
    await userEvent.type(screen.getByRole("textbox", { name: "Token budget" }), "0");
    expect(screen.getByRole("button", { name: "Analyze and explain" })).toBeDisabled();
    await userEvent.clear(screen.getByRole("textbox", { name: "Token budget" }));
    await userEvent.type(screen.getByRole("textbox", { name: "Token budget" }), "20000");
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
      budget_tokens: "20000",
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
