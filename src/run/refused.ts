/** A run or command refused before any work, with what to do about it; the CLI prints it on one line. */
export class RunRefusedError extends Error {}
