import { describe, expect, it } from "vitest";
import { tokenizeLine, unquote } from "./codeTokens";

describe("the pseudocode tokenizer", () => {
  it("splits a line into keywords, identifiers, literals, numbers and comments, losing nothing", () => {
    const line = '    if (strlen(a0) != 0x8) puts("a \\"b\\"\\n"); // done';
    const tokens = tokenizeLine(line);
    expect(tokens.map((t) => t.text).join("")).toBe(line);
    expect(tokens.filter((t) => t.type !== "plain").map((t) => [t.type, t.text])).toEqual([
      ["keyword", "if"],
      ["ident", "strlen"],
      ["ident", "a0"],
      ["number", "0x8"],
      ["ident", "puts"],
      ["string", '"a \\"b\\"\\n"'],
      ["comment", "// done"],
    ]);
  });

  it("keeps symbol-versioned and dotted names whole", () => {
    expect(tokenizeLine("memcpy@GLIBC_2.14(v1, sub_401000.cold);").filter((t) => t.type === "ident").map((t) => t.text)).toEqual([
      "memcpy@GLIBC_2.14",
      "v1",
      "sub_401000.cold",
    ]);
  });

  it("reads a C string literal's value", () => {
    expect(unquote('"Enter the secret password: "')).toBe("Enter the secret password: ");
    expect(unquote('"tab\\there\\nnew \\"q\\" \\x41\\\\"')).toBe('tab\there\nnew "q" A\\');
  });
});
