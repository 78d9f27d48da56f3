/**
 * The filter stage's card in the run report: the generic card (documents in, kept, each reason,
 * the lines cut per rule) with a few example ids beside each reason, so a reader can open those
 * documents and judge the rule. The run report scrubs the ids before they reach this hook.
 */
import type { StageReportSection } from "../registry.js";
import { genericStageSection } from "../report-section.js";
import type { StageStatsJSON } from "../../stats/stage-stats.js";

const REASON_LABEL = /^filtered: (.+)$/;

export function qualityReportSection(stats: StageStatsJSON): StageReportSection | undefined {
  const section = genericStageSection(stats, "Quality filters");
  if (!section) return undefined;
  const examples = stats.examples ?? {};
  section.facts = section.facts.map(([label, value, hover]) => {
    const ids = examples[REASON_LABEL.exec(label)?.[1] ?? ""];
    return ids && ids.length > 0 ? [label, `${value} · e.g. ${ids.join(", ")}`, hover] : [label, value, hover];
  });
  return section;
}
