// What every group of measurements needs: where to work, the environment
// the tools run in, the tools themselves, and how many runs to take.

import type { Row } from "./table.ts";
import type { Tool, ToolId } from "./tools.ts";

export interface RunCounts {
  /** Rows whose single run takes seconds (cold builds, builds alone). */
  slow: number;
  /** Rows under a second (no-op, --list, floor). */
  fast: number;
  /** Image builds (minutes each). */
  image: number;
}

export interface BenchContext {
  scratch: string;
  env: NodeJS.ProcessEnv;
  tools: Record<ToolId, Tool>;
  goTask: string;
  runs: RunCounts;
}

/** A group's rows plus the sentences that explain them in results.md. */
export interface Section {
  rows: Row[];
  notes: string[];
}
