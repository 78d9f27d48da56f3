import { describe, expect, it } from "vitest";
import { Progress } from "../../src/stats/progress.js";

describe("progress lines", () => {
  it("never says 100% while work is still going: all bytes read shows 99% and 'finishing'", () => {
    const p = new Progress({ label: "finalize 3/4 tasks", totalBytes: 1000, enabled: false });
    p.addBytes(1000);
    p.addDocs(10);
    const line = p.line();
    expect(line).toContain("99.0%");
    expect(line).toContain("finishing");
    expect(line).not.toContain("100");
    expect(line).not.toContain("ETA");
  });

  it("shows the share read and an ETA before that", () => {
    const p = new Progress({ label: "prepare 0/4 tasks", totalBytes: 1000, enabled: false });
    p.addBytes(250);
    expect(p.line()).toMatch(/25\.0% \| ETA /);
  });
});
