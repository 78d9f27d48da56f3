/**
 * Where dedup's parallel work runs: on piscina worker threads, or inline on the calling thread
 * (workers = 0, for tests, small inputs and per-task runs that are already parallel). Either way
 * results are returned in the order asked for.
 */
import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import { workerPath } from "../../io/worker-path.js";
import type { PairsTask, SignTask } from "./dedup-worker.js";
import { packTexts } from "../minhash/text-batch.js";
import { findCandidatePairs } from "./phase-pairs.js";
import { Signer, type SignatureBatch, type SignatureParams } from "../minhash/signature.js";
import type { PairsManifest } from "../files/work-dir.js";

export interface DedupPool {
  /** Threads work is spread over (1 when inline). */
  readonly threads: number;
  signBatch(texts: string[]): Promise<SignatureBatch>;
  pairs(task: PairsTask): Promise<PairsManifest>;
  close(): Promise<void>;
}

export function defaultWorkers(): number {
  return availableParallelism();
}

class InlinePool implements DedupPool {
  readonly threads = 1;
  private readonly signer: Signer;
  constructor(params: SignatureParams) {
    this.signer = new Signer(params);
  }
  async signBatch(texts: string[]): Promise<SignatureBatch> {
    return this.signer.signBatch(texts);
  }
  async pairs({ workDir, band, ...options }: PairsTask): Promise<PairsManifest> {
    return findCandidatePairs(workDir, band, options);
  }
  async close(): Promise<void> {}
}

class ThreadPool implements DedupPool {
  private readonly piscina: Piscina;
  constructor(
    private readonly params: SignatureParams,
    readonly threads: number,
  ) {
    this.piscina = new Piscina({
      filename: workerPath(import.meta.url, "./dedup-worker.js"),
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: 60_000,
      // A worker's garbage is short-lived batch text; a small young generation keeps each
      // thread's footprint tens of MB lower at no measurable cost in speed.
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
    });
  }
  signBatch(texts: string[]): Promise<SignatureBatch> {
    const task: SignTask = { ...packTexts(texts), params: this.params };
    return this.piscina.run(task) as Promise<SignatureBatch>;
  }
  pairs(task: PairsTask): Promise<PairsManifest> {
    return this.piscina.run(task, { name: "pairs" }) as Promise<PairsManifest>;
  }
  close(): Promise<void> {
    return this.piscina.close();
  }
}

/** `workers` threads (0 = inline on this thread). */
export function openDedupPool(params: SignatureParams, workers: number): DedupPool {
  if (!Number.isInteger(workers) || workers < 0) throw new Error(`--workers ${workers}: expected 0 (no threads) or a positive whole number`);
  return workers === 0 ? new InlinePool(params) : new ThreadPool(params, workers);
}
