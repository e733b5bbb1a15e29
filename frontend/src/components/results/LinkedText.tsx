// Prose from the model (summary, explanation, notes) with the names it mentions linked: an
// identifier naming a function or import this function references (by address, from its
// cross-references; shared names stay plain) and a quoted string it loads.
import type { ReactNode } from "react";
import { XrefLink } from "./NameText";
import type { Xrefs } from "./xrefs";

const MENTION = /("[^"\n]*")|([A-Za-z_][A-Za-z0-9_@]*(?:\.[A-Za-z0-9_]+)*)/g;

export function linkMentions(text: string, xrefs: Xrefs | undefined): ReactNode {
  if (!xrefs) return text;
  const out: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(MENTION)) {
    const [whole, quoted, name] = match;
    const index = match.index ?? 0;
    let link: ReactNode = null;
    if (quoted) {
      const address = xrefs.strings.get(quoted.slice(1, -1));
      if (address !== undefined) link = <XrefLink key={index} target={{ kind: "string", address }} text={quoted} />;
    } else if (name && name !== xrefs.self.name) {
      const ref = xrefs.names.get(name);
      if (ref) link = <XrefLink key={index} target={ref.target} text={name} />;
    }
    if (link) {
      if (index > last) out.push(text.slice(last, index));
      out.push(link);
      last = index + whole.length;
    }
  }
  if (out.length === 0) return text;
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export function LinkedText({ text, xrefs }: { text: string; xrefs?: Xrefs }) {
  return <>{linkMentions(text, xrefs)}</>;
}
