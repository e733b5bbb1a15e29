export { AnalysisOptions, budgetTokensError, budgetUsdError } from "./AnalysisOptions";
export { FileDropzone } from "./FileDropzone";
export { formatBytes } from "./formatBytes";
export { ProviderSelector, defaultProviderId } from "./ProviderSelector";
