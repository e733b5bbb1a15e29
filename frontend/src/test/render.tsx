// Render a component with a fresh store, the theme and a router; returns the store and a log of
// every dispatched action (to prove secrets never pass through Redux).
import { CssBaseline, ThemeProvider } from "@mui/material";
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { Provider } from "react-redux";
import { MemoryRouter } from "react-router-dom";
import type { Middleware, UnknownAction } from "@reduxjs/toolkit";
import { makeTheme } from "../app/theme";
import { makeStore } from "../store";

export function renderWithStore(ui: ReactElement, { route = "/providers" } = {}) {
  const actions: UnknownAction[] = [];
  const recorder: Middleware = () => (next) => (action) => {
    actions.push(action as UnknownAction);
    return next(action);
  };
  const store = makeStore([recorder]);
  const view = render(
    <Provider store={store}>
      <ThemeProvider theme={makeTheme("light")}>
        <CssBaseline />
        <MemoryRouter initialEntries={[route]}>{ui}</MemoryRouter>
      </ThemeProvider>
    </Provider>,
  );
  return { store, actions, ...view };
}

/** Everything the browser could have kept: the Redux state, actions seen, and both storages. */
export function everythingKept(store: { getState: () => unknown }, actions: unknown[]): string {
  const storage = (s: Storage) => JSON.stringify(Object.entries({ ...s }));
  return [
    JSON.stringify(store.getState()),
    JSON.stringify(actions),
    storage(localStorage),
    storage(sessionStorage),
  ].join("\n");
}
