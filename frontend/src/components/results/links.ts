// Where a name in the result leads: a function (by address), an import (its row in Imports) or a
// string (its row in Strings). Each target is a URL search (`?tab=functions&fn=0x401175`), so
// links are real links and back/forward move between them.
import { hex } from "./format";

export type Target =
  | { kind: "function"; address: number }
  | { kind: "import"; name: string }
  | { kind: "string"; address: number };

/** The URL search of the job page that shows `target`. */
export function targetSearch(target: Target): string {
  switch (target.kind) {
    case "function":
      return `?tab=functions&fn=${hex(target.address)}`;
    case "import":
      return `?tab=imports&q=${encodeURIComponent(target.name)}&sel=${encodeURIComponent(target.name)}`;
    case "string":
      return `?tab=strings&q=${hex(target.address)}&sel=${hex(target.address)}`;
  }
}

/** A short accessible description of the target ("function main at 0x4011c1"). */
export function targetLabel(target: Target, text: string): string {
  switch (target.kind) {
    case "function":
      return `function ${text} at ${hex(target.address)}`;
    case "import":
      return `import ${target.name}`;
    case "string":
      return `string at ${hex(target.address)}`;
  }
}
