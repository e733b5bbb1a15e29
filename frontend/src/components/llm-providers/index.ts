// The provider-management feature's public surface, composed by pages/ProvidersPage.tsx.
export { UserLLMProviderDashboard } from "./UserLLMProviderDashboard";
