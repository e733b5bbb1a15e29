// The API access token (`BINSCRIBE_API_TOKEN` on the server), kept in memory only: it is lost on
// reload and never written to localStorage or sessionStorage.
import { createSlice, type PayloadAction } from "@reduxjs/toolkit";

export interface AuthState {
  /** The bearer token the user typed, or null. */
  token: string | null;
  /** True once the server answered 401: the app bar then asks for a token. */
  tokenRequired: boolean;
}

const initialState: AuthState = { token: null, tokenRequired: false };

const authSlice = createSlice({
  name: "auth",
  initialState,
  reducers: {
    tokenRequired(state) {
      state.tokenRequired = true;
    },
    tokenEntered(state, action: PayloadAction<string>) {
      state.token = action.payload;
      state.tokenRequired = false;
    },
  },
});

export const { tokenRequired, tokenEntered } = authSlice.actions;
export default authSlice.reducer;
