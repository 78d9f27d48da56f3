/**
 * The dedup stage's card in the run report: exact and near duplicates apart, and cluster sizes
 * (from the stage's histogram, or else from report.json's dedup section).
 */
import type { ReportFact, StageReport } from "../stages/registry.js";
import { exact, fieldsOf, finite, percent } from "../stages/report-section.js";

export const dedupReport: StageReport = (stats, sections) => {
  const dedup = fieldsOf(sections, "dedup");
  const removed = finite(stats.duplicates) ?? 0;
  const entered = finite(stats.docs_in) ?? 0;
  const exactRemoved = finite(dedup.removed_exact);
  const nearRemoved = finite(dedup.removed_near);
  const facts: ReportFact[] = [["duplicates removed", `${exact(removed)} (${percent(removed, entered)} of ${exact(entered)})`]];
  if (exactRemoved !== undefined) facts.push(["exact duplicates", exact(exactRemoved), "same normalized text as a kept document (content hash)"]);
  if (nearRemoved !== undefined) facts.push(["near duplicates", exact(nearRemoved), "similar to a kept document above the Jaccard threshold (MinHash LSH)"]);
  const clusters = finite(dedup.clusters);
  if (clusters !== undefined) facts.push(["duplicate clusters", exact(clusters), "groups of documents that duplicate each other; each keeps its first"]);
  const largest = finite(dedup.largest_cluster);
  if (largest !== undefined) facts.push(["largest cluster", `${exact(largest)} documents`]);
  if (typeof dedup.params === "string") facts.push(["parameters", dedup.params, "shingles / bands / rows / seed of the MinHash signatures"]);

  const fromStage = fieldsOf(stats.histograms, "cluster_size");
  const counts = Object.keys(fromStage).length > 0 ? fromStage : fieldsOf(dedup, "cluster_sizes");
  const hasClusters = Object.values(counts).some((n) => (finite(n) ?? 0) > 0);
  const split = exactRemoved !== undefined && nearRemoved !== undefined ? `${exact(exactRemoved)} exact · ${exact(nearRemoved)} near` : undefined;
  return {
    title: "Duplicates",
    facts,
    ...(split && removed > 0 ? { flow: split } : {}),
    ...(hasClusters ? { note: "Each cluster keeps its first document; the rest are removed as duplicates." } : { empty: "No duplicate clusters were recorded (nothing was duplicated)." }),
    histogram: { id: "clusters", counts: counts as Record<string, number>, unit: "documents per cluster", what: "clusters" },
  };
};
