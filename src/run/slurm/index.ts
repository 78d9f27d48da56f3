/**
 * Running korpipe's tasks on a Slurm cluster: each phase is one array job whose tasks read
 * SLURM_ARRAY_TASK_ID, chained with afterok dependencies; its progress is read back from
 * squeue, sacct when the cluster keeps accounting, and the exit records the batch script
 * leaves next to each task's log on the shared file system. This module is the public face;
 * the pieces live in slurm-*.ts.
 */
export { slurmAvailable, SlurmUnavailableError } from "./commands.js";
export { taskLogPath, taskExitPath, type ArrayJobRef } from "./batch-script.js";
export { isFinal, type ArrayTaskStatus, type TaskState } from "./task-states.js";
export { submitArrayJob, cancelJobs, type ArrayJobSpec, type SubmittedArrayJob } from "./submit.js";
export { jobTaskStates, summarizeTasks, type SlurmProgress } from "./status.js";
export { logTail, waitForJobs, SlurmJobFailedError, type WaitOptions } from "./wait.js";
