import { ComingSoon } from "../components/common/ComingSoon";

export function AnalyzePage() {
  return (
    <ComingSoon title="Analyze a binary">
      Uploading a binary for analysis arrives with the jobs API (POST /api/v1/decompile), which is
      being built now. Until then, set up your LLM providers on the Providers page.
    </ComingSoon>
  );
}
