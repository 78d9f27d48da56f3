/**
 * Running korpipe's tasks on a Slurm cluster: each phase is one array job whose tasks read
 * SLURM_ARRAY_TASK_ID, chained with afterok dependencies; its progress is read back from
 * squeue, sacct when the cluster keeps accounting, and the exit records the batch script
 * leaves next to each task's log on the shared file system. This module is the public face;
 * the pieces live in slurm-*.ts.
 */
export { slurmAvailable, SlurmUnavailableError } from "./slurm-commands.js";
export { taskLogPath, taskExitPath, type ArrayJobRef } from "./slurm-batch-script.js";
export { isFinal, type ArrayTaskStatus, type TaskState } from "./slurm-task-states.js";
export { submitArrayJob, cancelJobs, type ArrayJobSpec, type SubmittedArrayJob } from "./slurm-submit.js";
export { jobTaskStates, summarizeTasks, type SlurmProgress } from "./slurm-status.js";
export { waitForJobs, SlurmJobFailedError, type WaitOptions } from "./slurm-wait.js";
