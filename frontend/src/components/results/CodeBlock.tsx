// Monospace code: C-like pseudocode (keywords, literals, comments coloured by `codeTokens`) or
// disassembly (address, mnemonic, operands), with cross-reference links (`codeLines`). Styles
// are one class on the frame (no per-line style objects), and a long listing renders its first
// lines at once and the rest in chunks after the first paint (a transition React may interrupt),
// so opening a large function shows it without waiting for its last line. `highlight` marks
// lines containing that text.
import { Box, useTheme, type Theme } from "@mui/material";
import { memo, startTransition, useEffect, useMemo, useState } from "react";
import { disassemblyLine, pseudocodeLine, type LineContext } from "./codeLines";
import { SUGGESTED_SX } from "./NameText";
import type { Xrefs } from "./xrefs";

export interface CodeBlockProps {
  code: string;
  language: "c" | "asm";
  label: string;
  /** Lines containing this text get a highlighted background. */
  highlight?: string;
  xrefs?: Xrefs;
  /** Show the model's suggested names (marked). */
  suggested?: boolean;
}

/** Lines rendered in the first pass, then per chunk. */
export const FIRST_LINES = 80;
const CHUNK_LINES = 400;
const LINE_PX = 19.5;

function frameSx(theme: Theme) {
  const dark = theme.palette.mode === "dark";
  return {
    m: 0,
    p: 1.5,
    overflow: "auto",
    maxHeight: 560,
    fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
    fontSize: 13,
    lineHeight: `${LINE_PX}px`,
    borderRadius: 1,
    border: 1,
    borderColor: "divider",
    bgcolor: "background.default",
    "& .token.keyword, & .token.mnemonic": { color: dark ? "#8ab4f8" : "#1d4ed8", fontWeight: 600 },
    "& .token.string, & .token.char": { color: dark ? "#f4a79d" : "#a31515" },
    "& .token.number": { color: dark ? "#81c995" : "#116644" },
    "& .token.comment, & .token.address": { color: "text.secondary" },
    "& .xref": { color: "primary.main", textDecoration: "underline dotted", textUnderlineOffset: "3px" },
    "& .xref .token.string": { color: "inherit" },
    "& > div > div": { minHeight: LINE_PX },
    "& [data-marked]": { bgcolor: "action.selected" },
    ...SUGGESTED_SX,
  };
}

interface ChunkProps {
  lines: string[];
  start: number;
  language: "c" | "asm";
  context: LineContext;
  highlight?: string;
}

const Chunk = memo(function Chunk({ lines, start, language, context, highlight }: ChunkProps) {
  const render = language === "c" ? pseudocodeLine : disassemblyLine;
  return (
    // Later chunks skip layout and paint while scrolled out of view (the first is always drawn).
    <div style={start === 0 ? undefined : { contentVisibility: "auto", containIntrinsicSize: `auto ${lines.length * LINE_PX}px` }}>
      {lines.map((line, i) => (
        <div key={start + i} data-marked={(highlight !== undefined && line.includes(highlight)) || undefined}>
          {render(line, context)}
        </div>
      ))}
    </div>
  );
});

export function CodeBlock({ code, language, label, highlight, xrefs, suggested = false }: CodeBlockProps) {
  const theme = useTheme();
  const sx = useMemo(() => frameSx(theme), [theme]);
  const lines = useMemo(() => (language === "c" ? code.trimEnd() : code).split("\n"), [code, language]);
  const slices = useMemo(() => {
    const out: { start: number; lines: string[] }[] = [];
    for (let start = 0; start < lines.length; start = start === 0 ? FIRST_LINES : start + CHUNK_LINES) {
      out.push({ start, lines: lines.slice(start, start === 0 ? FIRST_LINES : start + CHUNK_LINES) });
    }
    return out;
  }, [lines]);
  const context = useMemo(() => ({ xrefs, suggested }), [xrefs, suggested]);
  const [shown, setShown] = useState(FIRST_LINES);
  useEffect(() => {
    if (shown >= lines.length) return;
    const timer = setTimeout(() => startTransition(() => setShown((n) => n + CHUNK_LINES)));
    return () => clearTimeout(timer);
  }, [shown, lines.length]);

  return (
    <Box component="pre" sx={sx} aria-label={label} tabIndex={0} aria-busy={shown < lines.length || undefined}>
      {slices
        .filter((slice) => slice.start < shown)
        .map((slice) => (
          <Chunk key={slice.start} {...slice} language={language} context={context} highlight={highlight} />
        ))}
    </Box>
  );
}
