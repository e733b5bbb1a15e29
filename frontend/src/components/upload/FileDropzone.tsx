// Drag-and-drop (or click-to-choose) of the one binary to analyze; shows its name and size and
// refuses files over the server's upload limit before anything is sent.
import UploadFileIcon from "@mui/icons-material/UploadFile";
import { Box, Button, Typography } from "@mui/material";
import { useId, useRef, useState, type DragEvent } from "react";
import { formatBytes } from "./formatBytes";

export interface FileDropzoneProps {
  file: File | null;
  onFile: (file: File) => void;
  /** Largest accepted size in bytes. */
  maxBytes: number;
  error?: string;
}

export function FileDropzone({ file, onFile, maxBytes, error }: FileDropzoneProps) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const hintId = useId();

  function drop(event: DragEvent) {
    event.preventDefault();
    setOver(false);
    const dropped = event.dataTransfer.files[0];
    if (dropped) onFile(dropped);
  }

  return (
    <Box
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
      data-testid="dropzone"
      sx={{
        border: 2,
        borderStyle: "dashed",
        borderColor: error ? "error.main" : over ? "primary.main" : "divider",
        borderRadius: 2,
        p: 3,
        textAlign: "center",
        bgcolor: over ? "action.hover" : "transparent",
      }}
    >
      <UploadFileIcon fontSize="large" color="action" aria-hidden />
      <Typography sx={{ my: 1 }} id={hintId}>
        Drop an ELF, PE or Mach-O binary here (at most {formatBytes(maxBytes)}), or
      </Typography>
      <Button variant="outlined" onClick={() => input.current?.click()} aria-describedby={hintId}>
        Choose a file
      </Button>
      <input
        ref={input}
        type="file"
        hidden
        aria-label="Binary file"
        onChange={(event) => {
          const chosen = event.target.files?.[0];
          if (chosen) onFile(chosen);
          event.target.value = "";
        }}
      />
      {file && (
        <Typography sx={{ mt: 2, fontFamily: "monospace" }} data-testid="chosen-file">
          {file.name} · {formatBytes(file.size)}
        </Typography>
      )}
      {error && (
        <Typography role="alert" color="error" sx={{ mt: 1 }}>
          {error}
        </Typography>
      )}
    </Box>
  );
}
