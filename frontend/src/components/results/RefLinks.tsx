// Table cells listing functions by address ("Used by", "Called by"): each a link opening that
// function, its name as the reader chose to see it (suggested names marked).
import { Link as RouterLink } from "react-router-dom";
import type { FunctionRef } from "../../types/Result.types";
import { hex } from "./format";
import { targetSearch } from "./links";
import { displayName, NameText } from "./NameText";

export function RefLinks({ refs, suggested }: { refs: FunctionRef[]; suggested: boolean }) {
  if (refs.length === 0) return <>—</>;
  return (
    <>
      {refs.map((ref, i) => {
        const text = displayName({ name: ref.name, suggested: ref.suggested_name, applied: suggested }).text;
        return (
          <span key={ref.address}>
            {i > 0 && ", "}
            <RouterLink className="xref" to={{ search: targetSearch({ kind: "function", address: ref.address }) }}
              aria-label={`Open function ${text} at ${hex(ref.address)}`}>
              <NameText name={ref.name} suggested={ref.suggested_name} applied={suggested} />
            </RouterLink>
          </span>
        );
      })}
    </>
  );
}
