/** Piscina worker entry: one pipeline task per call. */
import { runTask, type TaskRequest } from "../phases/run-task.js";

export default async function (req: TaskRequest): Promise<boolean> {
  return runTask(req);
}
