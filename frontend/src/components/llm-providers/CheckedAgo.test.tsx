import { act, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CheckedAgo } from "./CheckedAgo";
import { checkedBy, timeAgo } from "./checkedAgo";

const NOW = Date.parse("2026-12-02T12:00:00Z");

afterEach(() => vi.useRealTimers());

describe("timeAgo", () => {
  it("says just now, minutes, hours, then days", () => {
    expect(timeAgo("2026-12-02T11:59:01Z", NOW)).toBe("just now");
    expect(timeAgo("2026-12-02T12:00:30Z", NOW)).toBe("just now"); // a clock slightly ahead
    expect(timeAgo("2026-12-02T11:57:00Z", NOW)).toBe("3 min ago");
    expect(timeAgo("2026-12-02T11:00:01Z", NOW)).toBe("59 min ago");
    expect(timeAgo("2026-12-02T11:00:00Z", NOW)).toBe("1 h ago");
    expect(timeAgo("2026-11-30T12:00:01Z", NOW)).toBe("47 h ago");
    expect(timeAgo("2026-11-29T12:00:00Z", NOW)).toBe("3 days ago");
  });

  it("names what checked", () => {
    expect([checkedBy("test"), checkedBy("probe"), checkedBy("job"), checkedBy(null)]).toEqual([
      "by a connection test",
      "by an automatic check",
      "by an analysis job",
      "by a connection test",
    ]);
  });
});

describe("CheckedAgo", () => {
  it("updates while the page stays open", () => {
    vi.useFakeTimers({ now: NOW, toFake: ["Date", "setInterval", "clearInterval"] });
    render(<CheckedAgo at="2026-12-02T11:59:20Z" source="probe" />);
    const time = screen.getByText("checked just now by an automatic check");
    expect(time.tagName).toBe("TIME");
    expect(time).toHaveAttribute("datetime", "2026-12-02T11:59:20Z");
    act(() => vi.advanceTimersByTime(60_000));
    expect(screen.getByText("checked 1 min ago by an automatic check")).toBe(time);
    act(() => vi.advanceTimersByTime(2 * 3600_000));
    expect(screen.getByText("checked 2 h ago by an automatic check")).toBeVisible();
  });

  it("leaves the source out when none is given", () => {
    vi.useFakeTimers({ now: NOW, toFake: ["Date", "setInterval", "clearInterval"] });
    render(<CheckedAgo at="2026-12-02T11:30:00Z" />);
    expect(screen.getByText("checked 30 min ago")).toBeVisible();
  });
});
