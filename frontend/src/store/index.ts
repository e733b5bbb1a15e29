// The Redux store: RTK Query's cache plus the two UI slices. `makeStore` builds a fresh one (tests
// build one per test). Redux DevTools are enabled in development builds only.
import { combineReducers, configureStore } from "@reduxjs/toolkit";
import { api } from "../services/api/baseApi";
import authReducer from "./slices/authSlice";
import userLLMProvidersReducer from "./slices/userLLMProvidersSlice";

const rootReducer = combineReducers({
  [api.reducerPath]: api.reducer,
  auth: authReducer,
  userLLMProviders: userLLMProvidersReducer,
});

export type RootState = ReturnType<typeof rootReducer>;

export function makeStore(preloadedState?: Partial<RootState>) {
  return configureStore({
    reducer: rootReducer,
    preloadedState,
    middleware: (getDefault) => getDefault().concat(api.middleware),
    devTools: import.meta.env.DEV,
  });
}

export type AppStore = ReturnType<typeof makeStore>;
export type AppDispatch = AppStore["dispatch"];
