// Choose a provider type: a radio group built from `GET .../types`, each with an icon, its label
// and one-line description. Arrow keys move between types.
import {
  Box,
  FormControl,
  FormControlLabel,
  FormLabel,
  Radio,
  RadioGroup,
  Typography,
} from "@mui/material";
import type { ProviderType, ProviderTypeInfo } from "../../types/UserLLMProvider.types";
import { ProviderTypeIcon } from "./providerTypeIcons";

interface Props {
  types: ProviderTypeInfo[];
  value: ProviderType | null;
  onChange: (type: ProviderType) => void;
  disabled?: boolean;
}

export function ProviderTypeSelector({ types, value, onChange, disabled = false }: Props) {
  return (
    <FormControl component="fieldset" disabled={disabled} fullWidth>
      <FormLabel component="legend">Provider type</FormLabel>
      <RadioGroup
        value={value ?? ""}
        onChange={(e) => onChange(e.target.value as ProviderType)}
        sx={{ gap: 1, mt: 1 }}
      >
        {types.map((t) => (
          <FormControlLabel
            key={t.type}
            value={t.type}
            control={
              <Radio
                slotProps={{
                  input: { "aria-label": t.label, "aria-describedby": `type-desc-${t.type}` },
                }}
              />
            }
            sx={{
              m: 0,
              border: 1,
              borderColor: value === t.type ? "primary.main" : "divider",
              borderRadius: 1,
              pr: 2,
            }}
            label={
              <Box sx={{ display: "flex", gap: 1.5, alignItems: "center", py: 1 }}>
                <ProviderTypeIcon type={t.type} />
                <Box>
                  <Typography component="span" sx={{ fontWeight: 600, display: "block" }}>
                    {t.label}
                  </Typography>
                  <Typography
                    id={`type-desc-${t.type}`}
                    component="span"
                    variant="body2"
                    color="text.secondary"
                  >
                    {t.description}
                  </Typography>
                </Box>
              </Box>
            }
          />
        ))}
      </RadioGroup>
    </FormControl>
  );
}
