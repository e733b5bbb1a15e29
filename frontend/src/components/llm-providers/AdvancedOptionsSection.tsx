// The collapsed "Advanced" part of the provider form: the `config` options the provider type uses
// (from its `options` in `GET .../types`) as optional number fields and optional choices,
// controlled by the parent. Opens by itself while one of its fields shows an error.
import ExpandMoreIcon from "@mui/icons-material/ExpandMore";
import {
  Accordion,
  AccordionDetails,
  AccordionSummary,
  Box,
  MenuItem,
  Stack,
  TextField,
  Typography,
} from "@mui/material";
import { useState } from "react";
import type {
  ProviderFormErrors,
  ProviderFormField,
  ProviderFormValues,
  ProviderTypeInfo,
} from "../../types/UserLLMProvider.types";
import { advancedOptionsFor } from "./advancedOptions";

interface Props {
  typeInfo: ProviderTypeInfo;
  values: ProviderFormValues;
  /** Errors to show now; one on an option keeps the section open. */
  errors: ProviderFormErrors;
  onChange: (field: ProviderFormField, value: string) => void;
}

export function AdvancedOptionsSection({ typeInfo, values, errors, onChange }: Props) {
  const [open, setOpen] = useState(false);
  const options = advancedOptionsFor(typeInfo);
  const numeric = options.filter((o) => o.spec.kind !== "choice");
  const choices = options.filter((o) => o.spec.kind === "choice");
  const failing = options.some((o) => errors[o.key]);
  const set = options.filter((o) => values[o.key].trim()).length;
  const summary = set ? `${set} of ${options.length} set` : "defaults in use";
  return (
    <Accordion
      expanded={open || failing}
      onChange={(_, expanded) => setOpen(expanded)}
      variant="outlined"
      disableGutters
    >
      <AccordionSummary
        expandIcon={<ExpandMoreIcon />}
        id="provider-advanced-header"
        aria-controls="provider-advanced-content"
      >
        <Typography component="span">
          Advanced{" "}
          <Box component="span" sx={{ color: "text.secondary" }}>
            ({summary})
          </Box>
        </Typography>
      </AccordionSummary>
      <AccordionDetails>
        <Stack spacing={2}>
          {numeric.map((option) => (
            <TextField
              key={option.key}
              label={option.label}
              name={option.key}
              value={values[option.key]}
              onChange={(e) => onChange(option.key, e.target.value)}
              error={Boolean(errors[option.key])}
              helperText={errors[option.key] ?? option.help}
              autoComplete="off"
              fullWidth
              slotProps={{
                htmlInput: { inputMode: option.spec.kind === "number" ? "decimal" : "numeric" },
              }}
            />
          ))}
          {choices.map((option) => (
            <TextField
              key={option.key}
              select
              label={option.label}
              name={option.key}
              value={values[option.key]}
              onChange={(e) => onChange(option.key, e.target.value)}
              error={Boolean(errors[option.key])}
              helperText={errors[option.key] ?? option.help}
              fullWidth
            >
              <MenuItem value="">
                <em>default</em>
              </MenuItem>
              {(option.spec.choices ?? []).map((value) => (
                <MenuItem key={value} value={value}>
                  {value}
                </MenuItem>
              ))}
            </TextField>
          ))}
        </Stack>
      </AccordionDetails>
    </Accordion>
  );
}
