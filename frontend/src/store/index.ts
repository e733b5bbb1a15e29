// The Redux store: RTK Query's cache plus the two UI slices. `makeStore` builds a fresh one (tests
// build one per test). Redux DevTools are enabled in development builds only.
import { combineReducers, configureStore, type Middleware } from "@reduxjs/toolkit";
import { api } from "../services/api/baseApi";
import authReducer from "./slices/authSlice";
import userLLMProvidersReducer from "./slices/userLLMProvidersSlice";

const rootReducer = combineReducers({
  [api.reducerPath]: api.reducer,
  auth: authReducer,
  userLLMProviders: userLLMProvidersReducer,
});

export type RootState = ReturnType<typeof rootReducer>;

/** A new store; `observers` are extra middleware (tests use one to record every action). */
export function makeStore(observers: Middleware[] = []) {
  return configureStore({
    reducer: rootReducer,
    middleware: (getDefault) => getDefault().concat(api.middleware, ...observers),
    devTools: import.meta.env.DEV,
  });
}

export type AppStore = ReturnType<typeof makeStore>;
export type AppDispatch = AppStore["dispatch"];
