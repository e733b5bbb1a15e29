// The API key input: a password field with show/hide, no autofill of saved passwords, no spell
// checking (which could send the key to a spelling service).
import VisibilityIcon from "@mui/icons-material/Visibility";
import VisibilityOffIcon from "@mui/icons-material/VisibilityOff";
import { IconButton, InputAdornment, TextField } from "@mui/material";
import { useState } from "react";

interface Props {
  value: string;
  onChange: (value: string) => void;
  onBlur: () => void;
  required: boolean;
  error?: string;
  helperText: string;
}

export function ApiKeyField({ value, onChange, onBlur, required, error, helperText }: Props) {
  const [visible, setVisible] = useState(false);
  return (
    <TextField
      label="API key"
      name="api_key"
      type={visible ? "text" : "password"}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      onBlur={onBlur}
      required={required}
      error={Boolean(error)}
      helperText={error ?? helperText}
      autoComplete="new-password"
      fullWidth
      slotProps={{
        htmlInput: { spellCheck: false, autoCapitalize: "off", autoCorrect: "off" },
        input: {
          endAdornment: (
            <InputAdornment position="end">
              <IconButton
                aria-label={visible ? "Hide API key" : "Show API key"}
                aria-pressed={visible}
                onClick={() => setVisible((v) => !v)}
                edge="end"
              >
                {visible ? <VisibilityOffIcon /> : <VisibilityIcon />}
              </IconButton>
            </InputAdornment>
          ),
        },
      }}
    />
  );
}
