// The create/edit form inside the config dialog; its state, validation and request live in
// useProviderForm. Errors of the advanced options show at once and block sending until fixed.
import { Alert, Box, Button, DialogActions, DialogContent, DialogTitle, Stack } from "@mui/material";
import { AdvancedOptionsSection } from "./AdvancedOptionsSection";
import { ProviderConfigForm } from "./ProviderConfigForm";
import { ProviderTypeSelector } from "./ProviderTypeSelector";
import { useProviderForm, type ProviderFormOptions } from "./useProviderForm";

export function ProviderConfigBody(props: ProviderFormOptions) {
  const { types, provider, onClose } = props;
  const form = useProviderForm(props);
  const { typeInfo, values, visibleErrors, change } = form;
  const editing = provider !== null;
  return (
    // The form is the dialog paper's flex child: a column that may shrink, so DialogContent (not
    // the whole paper) scrolls and the title and actions stay in view.
    <Box
      component="form"
      onSubmit={form.submit}
      noValidate
      sx={{ display: "flex", flexDirection: "column", flex: "1 1 auto", minHeight: 0 }}
    >
      <DialogTitle id="provider-config-title">
        {editing ? `Edit “${provider.name}”` : "Add a provider"}
      </DialogTitle>
      <DialogContent dividers>
        <Stack spacing={3} sx={{ pt: 1 }}>
          {!editing && (
            <ProviderTypeSelector types={types} value={form.type} onChange={form.setType} />
          )}
          {form.formError && <Alert severity="error">{form.formError}</Alert>}
          {form.keyCleared && (
            <Alert severity="info">For safety the API key was cleared after sending: type it again.</Alert>
          )}
          {typeInfo && (
            <ProviderConfigForm
              typeInfo={typeInfo}
              values={values}
              errors={visibleErrors}
              onChange={change}
              onBlur={form.touch}
              provider={provider}
              modelSuggestions={form.models ?? []}
            />
          )}
          {typeInfo && (
            <AdvancedOptionsSection
              typeInfo={typeInfo}
              values={values}
              errors={visibleErrors}
              onChange={change}
            />
          )}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button type="submit" variant="contained" disabled={!typeInfo || form.busy || form.advancedInvalid}>
          {editing ? "Save changes" : "Add provider"}
        </Button>
      </DialogActions>
    </Box>
  );
}
