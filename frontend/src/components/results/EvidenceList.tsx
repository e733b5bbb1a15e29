// The evidence an explanation cites: an address marks its line in the code; a callee, import or
// string the function references is a link to it (resolved through the function's
// cross-references, never by a name two functions share).
import { Box, Chip, Link, List, ListItem, Typography } from "@mui/material";
import type { ReactNode } from "react";
import type { FunctionExplanation } from "../../types/Job.types";
import type { Target } from "./links";
import { XrefLink } from "./NameText";
import type { Xrefs } from "./xrefs";

type Evidence = NonNullable<FunctionExplanation["evidence"]>[number];

function targetOf(ev: Evidence, xrefs: Xrefs | undefined): Target | undefined {
  if (!xrefs) return undefined;
  if (ev.kind === "string") {
    const address = xrefs.strings.get(ev.value);
    return address === undefined ? undefined : { kind: "string", address };
  }
  if (ev.kind === "callee" || ev.kind === "import") return xrefs.names.get(ev.value)?.target;
  return undefined;
}

export interface EvidenceListProps {
  evidence: Evidence[];
  xrefs?: Xrefs;
  onEvidenceAddress: (address: string) => void;
}

export function EvidenceList({ evidence, xrefs, onEvidenceAddress }: EvidenceListProps) {
  if (evidence.length === 0) return null;
  const value = (ev: Evidence): ReactNode => {
    if (ev.kind === "address") {
      return (
        <Link component="button" type="button" onClick={() => onEvidenceAddress(ev.value)} sx={{ fontFamily: "monospace" }}>
          {ev.value}
        </Link>
      );
    }
    const target = targetOf(ev, xrefs);
    const text = ev.value;
    return target ? <XrefLink target={target} text={text} /> : <Box component="code">{text}</Box>;
  };
  return (
    <Box>
      <Typography variant="subtitle2" component="h4">Evidence</Typography>
      <List dense disablePadding>
        {evidence.map((ev, i) => (
          <ListItem key={i} sx={{ py: 0, gap: 1 }}>
            <Chip size="small" variant="outlined" label={ev.kind} />
            {value(ev)}
            {ev.supports && <Typography variant="body2" color="text.secondary">{ev.supports}</Typography>}
          </ListItem>
        ))}
      </List>
    </Box>
  );
}
