// The cross-references of one function (`GET /jobs/{id}/functions/{address}`), indexed for the
// code and the explanation: names to targets (only names that denote one address in this
// function's references; two callees sharing a name are left unlinked), string values to their
// addresses, and instruction addresses (call sites, string loads, import calls) to targets.
import type { FunctionDetail } from "../../types/Result.types";
import type { Target } from "./links";

export interface NameTarget {
  target: Target;
  /** The model's suggested name of a function target, if any. */
  suggested: string | null;
}

export interface Xrefs {
  /** Identifier -> target; imports win over functions of the same name (PLT stubs). */
  names: Map<string, NameTarget>;
  /** Names several referenced functions share (never resolved by name). */
  ambiguous: Set<string>;
  /** String value -> the string's address. */
  strings: Map<string, number>;
  /** Instruction address -> what it calls or loads, with the name to show. */
  sites: Map<number, { target: Target; name: string; suggested: string | null }>;
  /** The function itself. */
  self: { name: string; suggested: string | null };
}

export function buildXrefs(fn: FunctionDetail): Xrefs {
  const byName = new Map<string, Map<number, string | null>>();
  const addFunction = (name: string, address: number, suggested: string | null | undefined) => {
    const entry = byName.get(name) ?? new Map<number, string | null>();
    entry.set(address, suggested ?? null);
    byName.set(name, entry);
  };
  addFunction(fn.name, fn.address, fn.suggested_name);
  for (const ref of fn.callers) addFunction(ref.name, ref.address, ref.suggested_name);
  for (const call of fn.calls) addFunction(call.function.name, call.function.address, call.function.suggested_name);

  const names = new Map<string, NameTarget>();
  const ambiguous = new Set<string>();
  for (const [name, addresses] of byName) {
    if (addresses.size > 1) ambiguous.add(name);
    else for (const [address, suggested] of addresses) names.set(name, { target: { kind: "function", address }, suggested });
  }
  for (const ref of fn.import_refs) {
    names.set(ref.name, { target: { kind: "import", name: ref.name }, suggested: null });
    ambiguous.delete(ref.name);
  }

  const sites: Xrefs["sites"] = new Map();
  for (const call of fn.calls) {
    const { address, name, suggested_name } = call.function;
    sites.set(call.address, { target: { kind: "function", address }, name, suggested: suggested_name ?? null });
  }
  for (const ref of fn.import_refs) sites.set(ref.address, { target: { kind: "import", name: ref.name }, name: ref.name, suggested: null });
  const strings = new Map<string, number>();
  for (const ref of fn.string_refs) {
    strings.set(ref.value, ref.string_address);
    sites.set(ref.address, { target: { kind: "string", address: ref.string_address }, name: JSON.stringify(ref.value), suggested: null });
  }
  return { names, ambiguous, strings, sites, self: { name: fn.name, suggested: fn.suggested_name } };
}
