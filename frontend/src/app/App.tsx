// The app shell: store, theme following the system, router and the route table. Each page is its
// own chunk, loaded when its route is first shown (the app bar stays while it loads).
import { CircularProgress, CssBaseline, ThemeProvider } from "@mui/material";
import { Suspense, lazy, type ComponentType } from "react";
import { Provider } from "react-redux";
import { BrowserRouter, Navigate, Route, Routes } from "react-router-dom";
import { AppLayout } from "../components/layout/AppLayout";
import type { AppStore } from "../store";
import { useSystemTheme } from "./theme";

/** A page module's named export as a lazily loaded component. */
function lazyPage<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(async () => ({ default: (await load())[name] }));
}

const ProvidersPage = lazyPage(() => import("../pages/ProvidersPage"), "ProvidersPage");
const AnalyzePage = lazyPage(() => import("../pages/AnalyzePage"), "AnalyzePage");
const JobsPage = lazyPage(() => import("../pages/JobsPage"), "JobsPage");
const JobPage = lazyPage(() => import("../pages/JobPage"), "JobPage");
const TokensPage = lazyPage(() => import("../pages/TokensPage"), "TokensPage");
const NotFoundPage = lazyPage(() => import("../pages/NotFoundPage"), "NotFoundPage");

function page(Page: ComponentType) {
  return (
    <Suspense fallback={<CircularProgress aria-label="Loading the page" />}>
      <Page />
    </Suspense>
  );
}

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<AppLayout />}>
        <Route index element={<Navigate to="/providers" replace />} />
        <Route path="providers" element={page(ProvidersPage)} />
        <Route path="analyze" element={page(AnalyzePage)} />
        <Route path="jobs" element={page(JobsPage)} />
        <Route path="jobs/:id" element={page(JobPage)} />
        <Route path="tokens" element={page(TokensPage)} />
        <Route path="*" element={page(NotFoundPage)} />
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
