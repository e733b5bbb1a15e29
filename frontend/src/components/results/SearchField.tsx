// A search box that keeps its text to itself and reports it (trimmed) once typing pauses for the
// debounce: a keystroke re-renders only this field, never the table below it.
import { TextField } from "@mui/material";
import { useEffect, useState } from "react";
import { useDebounced } from "./useDebounced";

export interface SearchFieldProps {
  label: string;
  initial?: string;
  onSearch: (search: string) => void;
}

export function SearchField({ label, initial = "", onSearch }: SearchFieldProps) {
  const [query, setQuery] = useState(initial);
  const settled = useDebounced(query.trim());
  useEffect(() => onSearch(settled), [settled, onSearch]);
  return <TextField size="small" type="search" label={label} value={query} onChange={(e) => setQuery(e.target.value)} />;
}
