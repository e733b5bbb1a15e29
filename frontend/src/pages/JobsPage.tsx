import { ComingSoon } from "../components/common/ComingSoon";

export function JobsPage() {
  return (
    <ComingSoon title="Jobs">
      The list of analysis jobs with live progress arrives with the jobs API (/api/v1/jobs), which
      is being built now. No jobs can run yet.
    </ComingSoon>
  );
}
