// The handle between the function list and the open function: drag it, or focus it and use the
// arrow keys (Home/End for the limits). The width is remembered in localStorage.
import { Box } from "@mui/material";
import { useCallback, useState, type KeyboardEvent, type PointerEvent } from "react";

export const LIST_WIDTH_KEY = "binscribe.functionListWidth";
export const LIST_WIDTH = { min: 260, max: 900, initial: 420, step: 40 } as const;

const clamp = (px: number) => Math.round(Math.min(LIST_WIDTH.max, Math.max(LIST_WIDTH.min, px)));

function stored(): number {
  try {
    const value = Number(localStorage.getItem(LIST_WIDTH_KEY));
    return value > 0 ? clamp(value) : LIST_WIDTH.initial;
  } catch {
    return LIST_WIDTH.initial;
  }
}

/** `[width, setWidth]` of the function list in pixels, remembered across visits. */
export function useListWidth(): [number, (px: number) => void] {
  const [width, setWidth] = useState(stored);
  const set = useCallback((px: number) => {
    const next = clamp(px);
    setWidth(next);
    try {
      localStorage.setItem(LIST_WIDTH_KEY, String(next));
    } catch {
      // storage unavailable: the width holds until the page reloads
    }
  }, []);
  return [width, set];
}

export function SplitHandle({ width, onResize }: { width: number; onResize: (px: number) => void }) {
  const [drag, setDrag] = useState<{ x: number; width: number } | null>(null);
  const onKeyDown = (e: KeyboardEvent) => {
    const next = { ArrowLeft: width - LIST_WIDTH.step, ArrowRight: width + LIST_WIDTH.step, Home: LIST_WIDTH.min, End: LIST_WIDTH.max }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    onResize(next);
  };
  const onPointerDown = (e: PointerEvent<HTMLElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    setDrag({ x: e.clientX, width });
  };
  const onPointerMove = (e: PointerEvent) => drag && onResize(drag.width + e.clientX - drag.x);
  return (
    <Box
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize the function list"
      aria-valuenow={width}
      aria-valuemin={LIST_WIDTH.min}
      aria-valuemax={LIST_WIDTH.max}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={() => setDrag(null)}
      sx={{
        cursor: "col-resize",
        alignSelf: "stretch",
        borderRadius: 1,
        bgcolor: drag ? "primary.main" : "divider",
        "&:hover, &:focus-visible": { bgcolor: "primary.main" },
        outlineOffset: 2,
        touchAction: "none",
      }}
    />
  );
}
