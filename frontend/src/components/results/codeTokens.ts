// A small single-pass tokenizer for angr's C-like pseudocode (one line at a time): comments,
// string and character literals, numbers, keywords and identifiers. It replaces a full syntax
// highlighter: cheap enough for thousands of lines on the main thread, and it exposes the
// identifiers and string literals the code view turns into cross-reference links.

export type TokenType = "comment" | "string" | "char" | "number" | "keyword" | "ident" | "plain";

export interface Token {
  type: TokenType;
  text: string;
}

const KEYWORDS = new Set(
  (
    "auto break case char const continue default do double else enum extern float for goto if inline int long " +
    "register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while " +
    "bool _Bool true false NULL"
  ).split(" "),
);

const PATTERN =
  /(\/\/.*$|\/\*.*?\*\/)|("(?:[^"\\]|\\.)*"?)|('(?:[^'\\]|\\.)*'?)|(\b0x[0-9a-fA-F]+\b|\b\d+\b)|([A-Za-z_$][A-Za-z0-9_$@.]*)/g;

export function tokenizeLine(line: string): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  for (const match of line.matchAll(PATTERN)) {
    const index = match.index ?? 0;
    if (index > last) tokens.push({ type: "plain", text: line.slice(last, index) });
    const [text, comment, string, char, number] = match;
    let type: TokenType = "ident";
    if (comment) type = "comment";
    else if (string) type = "string";
    else if (char) type = "char";
    else if (number) type = "number";
    else if (KEYWORDS.has(text)) type = "keyword";
    tokens.push({ type, text });
    last = index + text.length;
  }
  if (last < line.length) tokens.push({ type: "plain", text: line.slice(last) });
  return tokens;
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "0": "\0", "\\": "\\", '"': '"', "'": "'" };

/** The value of a C string literal (`"a\\n"` -> `a` + newline); hex escapes decoded. */
export function unquote(literal: string): string {
  const body = literal.slice(1, literal.endsWith('"') && literal.length > 1 ? -1 : undefined);
  return body.replace(/\\(x[0-9a-fA-F]{2}|.)/g, (_m, esc: string) =>
    esc.length === 3 ? String.fromCharCode(Number.parseInt(esc.slice(1), 16)) : (ESCAPES[esc] ?? esc),
  );
}
