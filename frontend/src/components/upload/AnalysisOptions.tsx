// The analysis options of an upload: depth (how much angr does), explanation detail, an
// optional limit on the number of functions analyzed, and an optional explanation budget
// (provider tokens and/or estimated USD cost; the server stops explaining once it is used up).
import { MenuItem, Stack, TextField } from "@mui/material";
import type { AnalysisDepth, TranslationDetail } from "../../types/Job.types";

// Records over the generated unions: a value the API adds fails to compile until labelled here.
const DEPTHS: Record<AnalysisDepth, string> = {
  basic: "Basic: functions and disassembly, no decompilation",
  standard: "Standard: decompile the program's own functions",
  detailed: "Detailed: decompile everything, slower",
};
const DETAILS: Record<TranslationDetail, string> = {
  brief: "Brief",
  standard: "Standard",
  comprehensive: "Comprehensive",
};

export interface AnalysisOptionsProps {
  depth: AnalysisDepth;
  detail: TranslationDetail;
  /** The limit as typed ("" for none). */
  functionLimit: string;
  /** False for "decompile only": the detail then does not apply. */
  explaining: boolean;
  onDepth: (value: AnalysisDepth) => void;
  onDetail: (value: TranslationDetail) => void;
  onFunctionLimit: (value: string) => void;
  functionLimitError?: string;
  /** The budgets as typed ("" for none). */
  budgetTokens: string;
  budgetUsd: string;
  onBudgetTokens: (value: string) => void;
  onBudgetUsd: (value: string) => void;
}

/** Why a typed token budget is refused (undefined when empty or valid). */
export function budgetTokensError(text: string): string | undefined {
  if (text.trim() === "") return undefined;
  return /^[1-9]\d{0,9}$/.test(text.trim()) && Number(text) <= 2_000_000_000
    ? undefined
    : "A whole number of tokens from 1 to 2,000,000,000";
}

/** Why a typed USD budget is refused (undefined when empty or valid). */
export function budgetUsdError(text: string): string | undefined {
  if (text.trim() === "") return undefined;
  const value = Number(text.trim());
  return /^\d*\.?\d+$/.test(text.trim()) && value > 0 && value <= 100_000
    ? undefined
    : "An amount in USD above 0 (at most 100,000)";
}

export function AnalysisOptions(props: AnalysisOptionsProps) {
  return (
    <Stack direction={{ xs: "column", md: "row" }} spacing={2}>
      <TextField
        select
        label="Analysis depth"
        value={props.depth}
        onChange={(event) => props.onDepth(event.target.value as AnalysisDepth)}
        sx={{ minWidth: 260, flex: 2 }}
      >
        {Object.entries(DEPTHS).map(([value, label]) => (
          <MenuItem key={value} value={value}>
            {label}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        label="Explanation detail"
        value={props.detail}
        disabled={!props.explaining}
        helperText={props.explaining ? undefined : "No explanations when decompiling only"}
        onChange={(event) => props.onDetail(event.target.value as TranslationDetail)}
        sx={{ minWidth: 180, flex: 1 }}
      >
        {Object.entries(DETAILS).map(([value, label]) => (
          <MenuItem key={value} value={value}>
            {label}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        label="Function limit"
        value={props.functionLimit}
        onChange={(event) => props.onFunctionLimit(event.target.value)}
        error={Boolean(props.functionLimitError)}
        helperText={props.functionLimitError ?? "Empty: no limit"}
        slotProps={{ htmlInput: { inputMode: "numeric" } }}
        sx={{ minWidth: 140, flex: 1 }}
      />
      <TextField
        label="Token budget"
        value={props.budgetTokens}
        disabled={!props.explaining}
        onChange={(event) => props.onBudgetTokens(event.target.value)}
        error={props.explaining && Boolean(budgetTokensError(props.budgetTokens))}
        helperText={(props.explaining && budgetTokensError(props.budgetTokens)) || "Empty: no limit"}
        slotProps={{ htmlInput: { inputMode: "numeric" } }}
        sx={{ minWidth: 140, flex: 1 }}
      />
      <TextField
        label="Cost budget (USD)"
        value={props.budgetUsd}
        disabled={!props.explaining}
        onChange={(event) => props.onBudgetUsd(event.target.value)}
        error={props.explaining && Boolean(budgetUsdError(props.budgetUsd))}
        helperText={(props.explaining && budgetUsdError(props.budgetUsd)) || "Empty: no limit"}
        slotProps={{ htmlInput: { inputMode: "decimal" } }}
        sx={{ minWidth: 140, flex: 1 }}
      />
    </Stack>
  );
}
