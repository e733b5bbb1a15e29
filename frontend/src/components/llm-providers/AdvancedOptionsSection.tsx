// The collapsed "Advanced" part of the provider form: the `config` options that apply to the
// provider type as optional number fields and optional choices, controlled by the parent. Opens by
// itself while one of its fields shows an error.
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
  ProviderType,
} from "../../types/UserLLMProvider.types";
import { advancedOptionsFor, choiceOptionsFor } from "./advancedOptions";

interface Props {
  type: ProviderType;
  values: ProviderFormValues;
  /** Errors to show now; one on an option keeps the section open. */
  errors: ProviderFormErrors;
  onChange: (field: ProviderFormField, value: string) => void;
}

export function AdvancedOptionsSection({ type, values, errors, onChange }: Props) {
  const [open, setOpen] = useState(false);
  const numeric = advancedOptionsFor(type);
  const choices = choiceOptionsFor(type);
  const options = [...numeric, ...choices];
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
              helperText={errors[option.key] ?? option.help(type)}
              autoComplete="off"
              fullWidth
              slotProps={{ htmlInput: { inputMode: option.decimal ? "decimal" : "numeric" } }}
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
              {Object.entries(option.choices).map(([value, label]) => (
                <MenuItem key={value} value={value}>
                  {label}
                </MenuItem>
              ))}
            </TextField>
          ))}
        </Stack>
      </AccordionDetails>
    </Accordion>
  );
}
