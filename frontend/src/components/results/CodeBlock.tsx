// Monospace code with line numbers: C-like pseudocode highlighted by Prism, disassembly split
// into address, mnemonic and operands. `highlight` marks lines containing that text.
import { Box, useTheme } from "@mui/material";
import { Highlight, themes } from "prism-react-renderer";

export interface CodeBlockProps {
  code: string;
  language: "c" | "asm";
  label: string;
  /** Lines containing this text get a highlighted background. */
  highlight?: string;
}

const FRAME = {
  m: 0,
  p: 1.5,
  overflow: "auto",
  maxHeight: 560,
  fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
  fontSize: 13,
  lineHeight: 1.5,
  borderRadius: 1,
  border: 1,
  borderColor: "divider",
} as const;

function Disassembly({ code, label, highlight }: Omit<CodeBlockProps, "language">) {
  return (
    <Box component="pre" sx={{ ...FRAME, bgcolor: "background.default" }} aria-label={label} tabIndex={0}>
      {code.split("\n").map((line, index) => {
        const match = line.match(/^(0x[0-9a-f]+):\s*(\S+)\s*(.*)$/i);
        const marked = highlight !== undefined && line.includes(highlight);
        return (
          <Box key={index} sx={{ bgcolor: marked ? "action.selected" : undefined }} data-marked={marked || undefined}>
            {match ? (
              <>
                <Box component="span" sx={{ color: "text.secondary" }}>{match[1]}:</Box>{" "}
                <Box component="span" sx={{ color: "primary.main", fontWeight: 600 }}>{match[2]}</Box>{" "}
                {match[3]}
              </>
            ) : (
              line
            )}
          </Box>
        );
      })}
    </Box>
  );
}

export function CodeBlock({ code, language, label, highlight }: CodeBlockProps) {
  const theme = useTheme();
  if (language === "asm") return <Disassembly code={code} label={label} highlight={highlight} />;
  const prismTheme = theme.palette.mode === "dark" ? themes.vsDark : themes.vsLight;
  return (
    <Highlight code={code.trimEnd()} language="c" theme={prismTheme}>
      {({ style, tokens, getLineProps, getTokenProps }) => (
        <Box component="pre" sx={FRAME} style={style} aria-label={label} tabIndex={0}>
          {tokens.map((line, index) => {
            const text = line.map((t) => t.content).join("");
            const marked = highlight !== undefined && text.includes(highlight);
            const { key: _k, ...lineProps } = getLineProps({ line, key: index }) as ReturnType<typeof getLineProps> & { key?: unknown };
            return (
              <div key={index} {...lineProps} style={marked ? { background: theme.palette.action.selected } : undefined}>
                {line.map((token, i) => {
                  const { key: _t, ...tokenProps } = getTokenProps({ token, key: i }) as ReturnType<typeof getTokenProps> & { key?: unknown };
                  return <span key={i} {...tokenProps} />;
                })}
              </div>
            );
          })}
        </Box>
      )}
    </Highlight>
  );
}
