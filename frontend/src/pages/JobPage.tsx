import { useParams } from "react-router-dom";
import { ComingSoon } from "../components/common/ComingSoon";

export function JobPage() {
  const { id } = useParams();
  return (
    <ComingSoon title={`Job ${id ?? ""}`}>
      Job results (overview, functions, imports, strings, reports) arrive with the jobs API, which
      is being built now.
    </ComingSoon>
  );
}
