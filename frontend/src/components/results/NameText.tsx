// A function's name as the reader chose to see it: the original, or (with "Suggested names" on
// and a suggestion available) the model's suggestion, marked as such with the original name in
// its tooltip. `XrefLink` is a real link (router) to a function, import or string.
import { Link } from "@mui/material";
import type { ReactNode } from "react";
import { Link as RouterLink } from "react-router-dom";
import { targetLabel, targetSearch, type Target } from "./links";

/** Class of a suggested name (styled by `SUGGESTED_SX` / the code block). */
export const SUGGESTED_CLASS = "suggested-name";

export const SUGGESTED_SX = {
  [`& .${SUGGESTED_CLASS}`]: { fontStyle: "italic", textDecoration: "underline dashed", textUnderlineOffset: "3px" },
} as const;

export interface NameTextProps {
  name: string;
  suggested?: string | null;
  /** Show the suggestion when there is one. */
  applied: boolean;
}

/** The name to show and its tooltip: `{text: "is_admin", title: "suggested name; original: sub_401175"}`. */
export function displayName({ name, suggested, applied }: NameTextProps): { text: string; title?: string } {
  if (!applied || !suggested || suggested === name) return { text: name };
  return { text: suggested, title: `suggested name (by the model); original: ${name}` };
}

export function NameText(props: NameTextProps) {
  const { text, title } = displayName(props);
  if (!title) return <>{text}</>;
  return (
    <span className={SUGGESTED_CLASS} title={title} data-original={props.name}>
      {text}
    </span>
  );
}

export interface XrefLinkProps {
  target: Target;
  /** The visible text (used in the accessible name). */
  text: string;
  children?: ReactNode;
  /** A plain anchor (for code lines, cheaper than MUI's Link). */
  plain?: boolean;
}

export function XrefLink({ target, text, children, plain }: XrefLinkProps) {
  const label = `Open ${targetLabel(target, text)}`;
  if (plain) {
    return (
      <RouterLink className="xref" to={{ search: targetSearch(target) }} aria-label={label}>
        {children ?? text}
      </RouterLink>
    );
  }
  return (
    <Link component={RouterLink} to={{ search: targetSearch(target) }} aria-label={label} sx={{ fontFamily: "monospace" }}>
      {children ?? text}
    </Link>
  );
}
