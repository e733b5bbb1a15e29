// One line of pseudocode or disassembly as React nodes, with its cross-references as links:
// in pseudocode, identifiers naming a referenced function or import and string literals whose
// value the function loads; in disassembly, the instruction at a call site or string load (by
// its address, exact even when names repeat) gets a `; name` link after its operands. With
// suggested names applied, function names show the model's suggestion, marked.
import type { ReactNode } from "react";
import { tokenizeLine, unquote } from "./codeTokens";
import { displayName, SUGGESTED_CLASS, XrefLink } from "./NameText";
import type { Xrefs } from "./xrefs";

export interface LineContext {
  xrefs?: Xrefs;
  suggested: boolean;
}

function Name({ name, suggested, applied }: { name: string; suggested: string | null; applied: boolean }) {
  const shown = displayName({ name, suggested, applied });
  return shown.title ? <span className={SUGGESTED_CLASS} title={shown.title}>{shown.text}</span> : <>{shown.text}</>;
}

export function pseudocodeLine(line: string, { xrefs, suggested }: LineContext): ReactNode[] {
  return tokenizeLine(line).map((token, i) => {
    if (token.type === "plain") return token.text;
    if (xrefs && token.type === "ident") {
      if (token.text === xrefs.self.name) {
        return <Name key={i} name={token.text} suggested={xrefs.self.suggested} applied={suggested} />;
      }
      const ref = xrefs.names.get(token.text);
      if (ref) {
        const text = displayName({ name: token.text, suggested: ref.suggested, applied: suggested }).text;
        return (
          <XrefLink key={i} plain target={ref.target} text={text}>
            <Name name={token.text} suggested={ref.suggested} applied={suggested} />
          </XrefLink>
        );
      }
      if (xrefs.ambiguous.has(token.text)) {
        return <span key={i} title={`several called functions are named ${token.text}: see Calls (by address)`}>{token.text}</span>;
      }
    }
    if (xrefs && token.type === "string") {
      const address = xrefs.strings.get(unquote(token.text));
      if (address !== undefined) {
        return (
          <XrefLink key={i} plain target={{ kind: "string", address }} text={token.text}>
            <span className="token string">{token.text}</span>
          </XrefLink>
        );
      }
    }
    return <span key={i} className={`token ${token.type}`}>{token.text}</span>;
  });
}

const INSTRUCTION = /^(0x[0-9a-f]+):\s*(\S+)\s*(.*)$/i;

export function disassemblyLine(line: string, { xrefs, suggested }: LineContext): ReactNode {
  const match = line.match(INSTRUCTION);
  if (!match) return line;
  const site = xrefs?.sites.get(Number.parseInt(match[1], 16));
  const text = site ? displayName({ name: site.name, suggested: site.suggested, applied: suggested }).text : "";
  return (
    <>
      <span className="token address">{match[1]}:</span> <span className="token mnemonic">{match[2]}</span> {match[3]}
      {site && (
        <span className="token comment">
          {" ; "}
          <XrefLink plain target={site.target} text={text}>
            <Name name={site.name} suggested={site.suggested} applied={suggested} />
          </XrefLink>
        </span>
      )}
    </>
  );
}
