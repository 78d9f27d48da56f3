/** The name of task N's files and directories everywhere (task-00003): runs, dedup's work directory, shards. */
export const taskName = (index: number) => `task-${String(index).padStart(5, "0")}`;
