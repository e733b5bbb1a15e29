// Upload a binary: choose the file, the provider (or decompile only) and the options, send it
// with upload progress, then go to the job's page. Files over the server's upload limit (from
// its health answer) are refused before anything is sent.
import { Alert, Box, Button, LinearProgress, Paper, Stack, Typography } from "@mui/material";
import { useState } from "react";
import { useNavigate } from "react-router-dom";
import {
  AnalysisOptions,
  budgetTokensError,
  budgetUsdError,
  FileDropzone,
  ProviderSelector,
  defaultProviderId,
  formatBytes,
} from "../components/upload";
import { handleError } from "../services/api/handleError";
import { useMaxUploadBytes } from "../services/api/healthApi";
import { useSubmitJobMutation } from "../services/api/jobsApi";
import { useProviderHealth } from "../services/api/providerHealthApi";
import { handOffUpload } from "../services/api/uploadBinary";
import type { AnalysisDepth, TranslationDetail } from "../types/Job.types";

function limitError(text: string): string | undefined {
  if (text.trim() === "") return undefined;
  return /^[1-9]\d*$/.test(text.trim()) ? undefined : "A whole number of at least 1";
}

export function AnalyzePage() {
  const navigate = useNavigate();
  const providers = useProviderHealth();
  const maxBytes = useMaxUploadBytes();
  const [submit, submission] = useSubmitJobMutation();
  const [file, setFile] = useState<File | null>(null);
  const [choice, setChoice] = useState<string | null | undefined>(undefined);
  const [depth, setDepth] = useState<AnalysisDepth>("standard");
  const [detail, setDetail] = useState<TranslationDetail>("standard");
  const [functionLimit, setFunctionLimit] = useState("");
  const [budgetTokens, setBudgetTokens] = useState("");
  const [budgetUsd, setBudgetUsd] = useState("");
  const [sent, setSent] = useState<{ loaded: number; total: number } | null>(null);

  const list = providers.data?.data;
  const providerId = choice === undefined ? defaultProviderId(list ?? []) : choice;
  const tooLarge = file && file.size > maxBytes;
  const fileError = tooLarge
    ? `${file.name} is ${formatBytes(file.size)}; the server accepts at most ${formatBytes(maxBytes)}.`
    : file?.size === 0
      ? `${file.name} is empty.`
      : undefined;
  const limitProblem = limitError(functionLimit);
  const explaining = providerId !== null;
  const budgetProblem = explaining && Boolean(budgetTokensError(budgetTokens) || budgetUsdError(budgetUsd));
  const serverError = submission.error ? handleError(submission.error) : null;
  const canSubmit = file && !fileError && !limitProblem && !budgetProblem && !submission.isLoading && !providers.isLoading;

  async function send() {
    if (!file || !canSubmit) return;
    setSent({ loaded: 0, total: file.size });
    const uploadRef = handOffUpload(file, (loaded, total) => setSent({ loaded, total }));
    const answer = await submit({
      uploadRef,
      providerId,
      analysisDepth: depth,
      translationDetail: detail,
      functionLimit: functionLimit.trim() ? Number(functionLimit) : null,
      budgetTokens: explaining && budgetTokens.trim() ? Number(budgetTokens) : null,
      budgetUsd: explaining && budgetUsd.trim() ? Number(budgetUsd) : null,
    });
    if ("data" in answer && answer.data) navigate(`/jobs/${answer.data.job_id}`);
    else setSent(null);
  }

  return (
    <>
      <Typography variant="h4" component="h1" gutterBottom>
        Analyze a binary
      </Typography>
      <Stack spacing={3} component="form" aria-label="Analyze a binary" onSubmit={(e) => { e.preventDefault(); void send(); }}>
        <FileDropzone
          file={file}
          onFile={(f) => {
            setFile(f);
            submission.reset();
          }}
          maxBytes={maxBytes}
          error={fileError}
        />
        <Paper variant="outlined" sx={{ p: 2 }}>
          <ProviderSelector
            providers={list}
            loading={providers.isLoading}
            value={providerId}
            onChange={setChoice}
            error={providers.error ? handleError(providers.error).message : undefined}
            recheckingIds={providers.recheckingIds}
          />
        </Paper>
        <AnalysisOptions
          depth={depth}
          detail={detail}
          functionLimit={functionLimit}
          explaining={explaining}
          onDepth={setDepth}
          onDetail={setDetail}
          onFunctionLimit={setFunctionLimit}
          functionLimitError={limitProblem}
          budgetTokens={budgetTokens}
          budgetUsd={budgetUsd}
          onBudgetTokens={setBudgetTokens}
          onBudgetUsd={setBudgetUsd}
        />
        {serverError && (
          <Alert severity="error">
            {serverError.message}
            {serverError.status ? ` (${serverError.code})` : ""}
          </Alert>
        )}
        {sent && (
          <Box>
            <Typography variant="body2" id="upload-progress-label">
              Uploading: {formatBytes(sent.loaded)} of {formatBytes(sent.total)}
            </Typography>
            <LinearProgress
              variant="determinate"
              value={sent.total ? Math.round((100 * sent.loaded) / sent.total) : 0}
              aria-labelledby="upload-progress-label"
            />
          </Box>
        )}
        <Box>
          <Button type="submit" variant="contained" size="large" disabled={!canSubmit}>
            {providerId === null ? "Decompile" : "Analyze and explain"}
          </Button>
        </Box>
      </Stack>
    </>
  );
}
