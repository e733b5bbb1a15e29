// The app shell: store, theme following the system, router and the route table.
import { CssBaseline, ThemeProvider } from "@mui/material";
import { Provider } from "react-redux";
import { BrowserRouter, Navigate, Route, Routes } from "react-router-dom";
import { AppLayout } from "../components/layout/AppLayout";
import { AnalyzePage } from "../pages/AnalyzePage";
import { JobPage } from "../pages/JobPage";
import { JobsPage } from "../pages/JobsPage";
import { NotFoundPage } from "../pages/NotFoundPage";
import { ProvidersPage } from "../pages/ProvidersPage";
import type { AppStore } from "../store";
import { useSystemTheme } from "./theme";

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<AppLayout />}>
        <Route index element={<Navigate to="/providers" replace />} />
        <Route path="providers" element={<ProvidersPage />} />
        <Route path="analyze" element={<AnalyzePage />} />
        <Route path="jobs" element={<JobsPage />} />
        <Route path="jobs/:id" element={<JobPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

export function App({ store }: { store: AppStore }) {
  const theme = useSystemTheme();
  return (
    <Provider store={store}>
      <ThemeProvider theme={theme}>
        <CssBaseline />
        <BrowserRouter>
          <AppRoutes />
        </BrowserRouter>
      </ThemeProvider>
    </Provider>
  );
}
