import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { makeJob } from "../../test/jobFixtures";
import { renderWithStore } from "../../test/render";
import type { JobDetail, JobResult } from "../../types/Job.types";
import { ResultOverview } from "./ResultOverview";

// Only what the overview reads of a result (from the crackme run of jobFixtures).
const RESULT = {
  analysis: {
    binary: {
      size: 16104, sha256: "f0".repeat(32), format: "elf", kind: "executable", arch: "x86_64",
      bits: 64, endianness: "little", entry_point: 0x401060, language: null, stripped: false,
      static: false, packer: null,
    },
    stats: { functions_total: 12, functions_decompiled: 4, decompile_failures: 0 },
    warnings: [],
    notes: [],
    engine_version: "9.2",
    depth: "standard",
  },
  explanation: null,
} as unknown as JobResult;

describe("ResultOverview", () => {
  it("shows the thinking tokens apart, as part of the output tokens", () => {
    const job = { ...makeJob(), result: RESULT } as unknown as JobDetail;
    renderWithStore(<ResultOverview job={job} result={RESULT} />);
    const usage = screen.getByRole("table", { name: "Tokens and cost" });
    const row = (name: string) => within(usage).getByRole("rowheader", { name }).closest("tr");
    expect(row("Output tokens")).toHaveTextContent("265");
    expect(row("Thinking tokens")).toHaveTextContent("120 (part of the output tokens, billed as output)");
    expect(row("Estimated cost")).toHaveTextContent("$0.0015");
  });
});
