export { FunctionsTable } from "./FunctionsTable";
export { FunctionPanel, FunctionView } from "./FunctionView";
export { ImportsView } from "./ImportsView";
export { InjectionWarning } from "./InjectionWarning";
export { FunctionActions, JobActions } from "./OnDemandActions";
export { ReportDownloads } from "./ReportDownloads";
export { ResultOverview } from "./ResultOverview";
export { StringsView } from "./StringsView";
export { hex } from "./format";
