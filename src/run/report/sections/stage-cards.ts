/**
 * One card per stage, from the stage's own report hook (`report` in its definition) or, for a
 * stage without one (a user's module stage), a generic card of its filter reasons and counters.
 * Hooks return data; only this module turns it into markup.
 */
import { scrubText } from "../../../pii/scrub.js";
import { builtinStage } from "../../plan/stage-registry.js";
import type { StageReportSection } from "../../../stages/registry.js";
import { genericStageSection } from "../../../stages/report-section.js";
import { hbarChart, histogramChart } from "../charts.js";
import { fmtInt } from "../format.js";
import { type SafeHtml } from "../html.js";
import { sectionsOf, usableHistogram, type RunStatsJSON, type StageStatsJSON } from "../stats-view.js";
import { card, empty, factTable } from "./card.js";

export interface StageCard {
  stage: string;
  section: StageReportSection;
}

/** Example ids of filter reasons pass the PII scrubber before any hook shows them: an input id may hold a phone number. */
function withScrubbedExamples(stats: StageStatsJSON): StageStatsJSON {
  if (!stats.examples) return stats;
  const examples = Object.fromEntries(Object.entries(stats.examples).map(([reason, ids]) => [reason, Array.isArray(ids) ? ids.map((id) => scrubText(String(id)).text) : []]));
  return { ...stats, examples };
}

/** The sections of every stage but the reader (the files card covers it), in pipeline order; a hook that fails gets a card saying so. */
export function stageSections(run: RunStatsJSON): StageCard[] {
  const sections = sectionsOf(run);
  const out: StageCard[] = [];
  for (const stats of run.stages.filter((s) => s.name !== "read")) {
    const hook = builtinStage(stats.name)?.report ?? ((s: StageStatsJSON) => genericStageSection(s));
    let section: StageReportSection | undefined;
    try {
      section = hook(withScrubbedExamples(stats), sections);
    } catch {
      section = { title: `Stage ${stats.name}`, facts: [], empty: "This stage's statistics in report.json could not be read." };
    }
    if (section) out.push({ stage: stats.name, section });
  }
  return out;
}

function chartOf(section: StageReportSection, stage: string): SafeHtml | undefined {
  const h = section.histogram && usableHistogram(section.histogram.counts);
  if (section.histogram && h) {
    const { id, unit, what } = section.histogram;
    return histogramChart({ id, series: [{ name: what, cls: `s-${id}`, hist: h }], unit, what });
  }
  if (section.bars && section.bars.rows.some((r) => r.value > 0)) {
    const rows = section.bars.rows.map((r) => ({ label: r.label, value: r.value, text: fmtInt(r.value), title: r.hover ?? `${r.label}: ${fmtInt(r.value)}` }));
    return hbarChart({ id: section.bars.id, cls: `s-${section.bars.id}`, width: 560, labelWidth: 180, rows });
  }
  return section.empty !== undefined ? empty(section.empty, section.histogram?.id ?? section.bars?.id ?? stage) : undefined;
}

export function stageCard({ stage, section }: StageCard): SafeHtml {
  const body = [section.facts.length > 0 ? factTable(section.facts, stage) : undefined, chartOf(section, stage)];
  return card(`stage-${stage}`, section.title, body, section.note);
}
