// The Functions tab: the function list and, once a function is open, the function beside it
// (a split view with a resizable, remembered width on screens from `md` up; stacked below that).
// The list stays mounted while functions open and close, so its search, filters, sort and
// scroll position survive, and it stays in view (sticky) beside a long listing.
import { Box, useMediaQuery, useTheme } from "@mui/material";
import { FunctionPanel } from "./FunctionPanel";
import { FunctionsTable } from "./FunctionsTable";
import { SplitHandle, useListWidth } from "./SplitHandle";

export interface FunctionsWorkspaceProps {
  jobId: string;
  /** The open function's address, or null. */
  open: number | null;
  decompileOnly: boolean;
}

export function FunctionsWorkspace({ jobId, open, decompileOnly }: FunctionsWorkspaceProps) {
  const theme = useTheme();
  const wide = useMediaQuery(theme.breakpoints.up("md"), { noSsr: true });
  const [width, setWidth] = useListWidth();
  const split = open !== null && wide;
  const tableHeight = split ? "calc(100vh - 190px)" : open === null ? 560 : 260;

  return (
    <Box
      sx={{
        display: "grid",
        gap: split ? 1.5 : 2,
        gridTemplateColumns: split ? `${width}px 6px minmax(0, 1fr)` : "minmax(0, 1fr)",
        alignItems: "start",
      }}
    >
      <Box sx={split ? { position: "sticky", top: 8, minWidth: 0 } : { minWidth: 0 }} aria-label="Function list" component="section">
        <FunctionsTable jobId={jobId} selected={open} compact={open !== null} height={tableHeight} />
      </Box>
      {split && <SplitHandle width={width} onResize={setWidth} />}
      {open !== null && <FunctionPanel key={open} jobId={jobId} address={open} decompileOnly={decompileOnly} />}
    </Box>
  );
}
