/**
 * Phase 2, per band (bands are independent and can run in parallel): merge the band's sorted
 * bucket files of all tasks and emit candidate pairs for every run of equal keys. Each document
 * in a run is paired with the run's first document (the earliest in input order), which is
 * enough to connect the run in phase 3.
 *
 * With verification (see VerifyMode), a candidate must also reach the Jaccard threshold, exactly
 * (shingle sets) or by the MinHash estimate. Equal band keys then no longer imply one cluster, so
 * each document is compared with the run's representatives (documents that matched no earlier
 * representative), at most MAX_REPRESENTATIVES of them, which bounds the work on huge runs of
 * boilerplate.
 */
import { existsSync } from "node:fs";
import { estimateJaccard16 } from "../minhash/minhash.js";
import { mergeCursors, RecordCursor } from "../merge.js";
import { DamagedFileError, FileKind, RecordFileReader, RecordFileWriter } from "../files/record-file.js";
import { SignatureTables } from "../minhash/signature-table.js";
import { numPermutations, resolveSignatureParams, setJaccard, signatureParamsKey, type SignatureParams } from "../minhash/signature.js";
import { DEFAULT_THRESHOLD, resolveVerifyMode, type VerifyMode } from "../minhash/lsh-params.js";
import { DEFAULT_MEMORY_MB, readJson, readTaskManifest, WorkDir, writeJsonAtomic, type BandId, type PairsManifest } from "../files/work-dir.js";

const MAX_REPRESENTATIVES = 16;

/** A pair record: task and ordinal of the earlier document, then of the later one. */
export const PAIR_WORDS = 4;

export interface CandidatePairsOptions {
  params?: Partial<SignatureParams>;
  /** Number of phase-1 tasks (0 .. tasks-1); all must have finished. */
  tasks: number;
  /** How candidates are checked against `threshold` (default "exact"; true/false = default/off). */
  verify?: VerifyMode | boolean;
  threshold?: number;
  /** Read buffers for the merge share this, in MiB (default 1024). */
  memoryMb?: number;
}

/** Writes `pairs/<band>.bin` and its manifest; returns the manifest. */
export function findCandidatePairs(workDir: string, band: BandId, options: CandidatePairsOptions): PairsManifest {
  const params = resolveSignatureParams(options.params);
  const work = new WorkDir(workDir);
  const tasks = options.tasks;
  if (!Number.isInteger(tasks) || tasks < 1) throw new Error(`tasks ${tasks}: expected a positive whole number`);
  if (band !== "exact" && (params.exactOnly || !Number.isInteger(band) || band < 0 || band >= params.bands)) {
    throw new Error(`band ${band} does not exist with ${params.exactOnly ? "exact-only" : `${params.bands} bands`}`);
  }
  const isExact = band === "exact";
  const mode = resolveVerifyMode(options.verify, params.shingleSets);
  if (mode === "exact" && !params.shingleSets && !params.exactOnly) {
    throw new Error('exact verification needs the shingle sets phase 1 keeps with shingleSets: true; use verify "estimate" or "off"');
  }
  // Exact-hash pairs need no check; neither does anything when no MinHash was computed.
  const verify: VerifyMode = isExact || params.exactOnly ? "off" : mode;
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const keyWords = isExact ? 4 : 2;
  const recordBytes = (keyWords + 1) * 4;
  const kind = isExact ? FileKind.exactBucket : FileKind.bandBucket;
  const memoryBytes = (options.memoryMb ?? DEFAULT_MEMORY_MB) * 1024 * 1024;
  const bufferBytes = Math.max(16 * 1024, Math.min(1 << 20, Math.floor((memoryBytes * 0.5) / tasks)));

  const cursors: RecordCursor[] = [];
  const out = new RecordFileWriter(work.pairs(band), FileKind.pairs, PAIR_WORDS * 4);
  const tables = verify !== "off" ? new SignatureTables(work, params) : undefined;
  let pairs = 0;
  let verifiedOut = 0;
  try {
    for (let t = 0; t < tasks; t++) {
      const manifest = readTaskManifest(work, t, params);
      const file = work.bucket(t, band);
      const reader = new RecordFileReader(file, kind, recordBytes, bufferBytes);
      const expected = Object.entries(manifest.files).find(([name]) => file.endsWith(name))?.[1];
      if (expected && expected.checksum !== reader.checksum) {
        reader.close();
        throw new DamagedFileError(file, `checksum ${reader.checksum} differs from the task manifest's ${expected.checksum}: a file from another run`);
      }
      cursors.push(new RecordCursor(reader, t));
    }

    const groupKey = new Uint32Array(keyWords);
    let inGroup = false;
    let anchorTask = 0;
    let anchorOrdinal = 0;
    const pair = new Uint32Array(PAIR_WORDS);
    const K = numPermutations(params);
    // A representative's MinHash (estimate) or shingle set (exact), loaded once per run of equal keys.
    const reps: { task: number; ordinal: number; sig: Uint16Array; set: Int32Array }[] = [];
    const sig = new Uint16Array(K);
    const noSet = new Int32Array(0);
    const load = (task: number, ordinal: number, into: Uint16Array) => {
      if (verify === "exact") return { sig: into, set: tables!.shingleSetOf(task, ordinal) };
      tables!.load(task, ordinal).copyMinhash16(into);
      return { sig: into, set: noSet };
    };

    const emit = (ta: number, oa: number, tb: number, ob: number) => {
      pair[0] = ta;
      pair[1] = oa;
      pair[2] = tb;
      pair[3] = ob;
      out.appendWords(pair, 0, PAIR_WORDS);
      pairs++;
    };

    mergeCursors(cursors, keyWords, (c) => {
      const w = c.words;
      const p = c.pos;
      let same = inGroup;
      if (same) {
        for (let i = 0; i < keyWords; i++) {
          if (w[p + i] !== groupKey[i]) {
            same = false;
            break;
          }
        }
      }
      const task = c.rank;
      const ordinal = w[p + keyWords]!;
      if (!same) {
        for (let i = 0; i < keyWords; i++) groupKey[i] = w[p + i]!;
        inGroup = true;
        anchorTask = task;
        anchorOrdinal = ordinal;
        // Most runs are a single document: its signature is only read once a second one arrives.
        reps.length = 0;
        return;
      }
      if (verify === "off") {
        emit(anchorTask, anchorOrdinal, task, ordinal);
        return;
      }
      if (reps.length === 0) reps.push({ task: anchorTask, ordinal: anchorOrdinal, ...load(anchorTask, anchorOrdinal, new Uint16Array(K)) });
      const me = load(task, ordinal, sig);
      for (const r of reps) {
        const similarity = verify === "exact" ? setJaccard(r.set, me.set) : estimateJaccard16(r.sig, 0, me.sig, 0, K);
        if (similarity >= threshold) {
          emit(r.task, r.ordinal, task, ordinal);
          return;
        }
      }
      verifiedOut++;
      if (reps.length < MAX_REPRESENTATIVES) reps.push({ task, ordinal, sig: me.sig.slice(), set: me.set });
    });

    const file = out.commit();
    const manifest: PairsManifest = {
      band,
      params: signatureParamsKey(params),
      tasks,
      verify,
      ...(verify !== "off" ? { threshold } : {}),
      pairs,
      verified_out: verifiedOut,
      file,
    };
    writeJsonAtomic(work.pairsManifest(band), manifest);
    return manifest;
  } catch (err) {
    out.abort();
    throw err;
  } finally {
    for (const c of cursors) c.reader.close();
    tables?.close();
  }
}

/** The manifest of a finished band, checked against this run's settings and task count. */
export function readPairsManifest(work: WorkDir, band: BandId, params: SignatureParams, tasks: number): PairsManifest {
  const file = work.pairsManifest(band);
  if (!existsSync(file)) throw new Error(`${file} is missing: band ${band} has not been merged; run phase 2 for it first`);
  const m = readJson<PairsManifest>(file);
  const key = signatureParamsKey(params);
  if (m.params !== key) throw new Error(`${file} was made with dedup settings ${m.params}, this run uses ${key}; use a fresh work directory`);
  if (m.tasks !== tasks) throw new Error(`${file} covers ${m.tasks} tasks, this run has ${tasks}; rerun phase 2 for band ${band}`);
  return m;
}
