import { ensureGoTask } from "./go-task.ts";
console.log(await ensureGoTask());
