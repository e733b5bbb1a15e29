export { FunctionsTable } from "./FunctionsTable";
export { FunctionView } from "./FunctionView";
export { ImportsView } from "./ImportsView";
export { InjectionWarning } from "./InjectionWarning";
export { ReportDownloads } from "./ReportDownloads";
export { ResultOverview } from "./ResultOverview";
export { StringsView } from "./StringsView";
export { explanationsByAddress, hex } from "./format";
