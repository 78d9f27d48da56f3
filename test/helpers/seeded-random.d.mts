export declare function rng(seed: number): () => number;
