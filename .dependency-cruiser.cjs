/**
 * The layers of korpipe, lowest first: io ← stats ← stages ← pii / dedup / shard ← run ← cli.
 * A module may import from its own layer and the layers below it, never above. Checked on the
 * compiled dist/ (npm test runs it: test/architecture.test.ts; by hand: npm run check:layers).
 */
const LAYERS = ["io", "stats", "stages", "(pii|dedup|shard)", "run", "cli"];
const dir = (layer) => `^dist/${layer}/`;

const forbidden = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `${layer.replace(/[()|]/g, "-").replace(/^-|-$/g, "")}-imports-above`,
  comment: `${layer} sits below ${LAYERS.slice(i + 1).join(", ")}: it may not import from them`,
  severity: "error",
  from: { path: dir(layer) },
  to: { path: LAYERS.slice(i + 1).map(dir) },
}));

forbidden.push(
  {
    name: "dedup-and-shard-apart",
    comment: "dedup and tokenizing share nothing but the layers below; pii's privacy tokens are the one vocabulary shard may use",
    severity: "error",
    from: { path: "^dist/(dedup|shard)/" },
    to: { path: "^dist/(dedup|shard)/", pathNot: "^dist/$1/" },
  },
  {
    name: "pii-stands-alone",
    comment: "the scrubber imports no other pipeline area",
    severity: "error",
    from: { path: "^dist/pii/" },
    to: { path: "^dist/(dedup|shard)/" },
  },
  {
    name: "no-circular",
    comment: "a cycle hides which module owns what",
    severity: "error",
    from: {},
    to: { circular: true },
  },
);

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "node_modules" },
    moduleSystems: ["es6"],
  },
};
