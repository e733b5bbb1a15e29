// A search box that keeps its text to itself and reports it (trimmed) once typing pauses for the
// debounce: a keystroke re-renders only this field, never the table below it. `Toggle`: a
// labelled switch.
import { FormControlLabel, Switch, TextField } from "@mui/material";
import { memo, useEffect, useState } from "react";
import { useDebounced } from "./useDebounced";

export interface SearchFieldProps {
  label: string;
  initial?: string;
  onSearch: (search: string) => void;
}

/** Memoized: the list's own re-renders (pages arriving, sort) skip the field. */
export const SearchField = memo(function SearchField({ label, initial = "", onSearch }: SearchFieldProps) {
  const [query, setQuery] = useState(initial);
  const settled = useDebounced(query.trim());
  useEffect(() => onSearch(settled), [settled, onSearch]);
  return <TextField size="small" type="search" label={label} value={query} onChange={(e) => setQuery(e.target.value)} />;
});

export interface ToggleProps {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}

/** A labelled switch, memoized like the search field. */
export const Toggle = memo(function Toggle({ label, checked, onChange }: ToggleProps) {
  return <FormControlLabel control={<Switch checked={checked} onChange={(e) => onChange(e.target.checked)} />} label={label} />;
});
