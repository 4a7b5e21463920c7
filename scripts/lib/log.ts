// The one logger. Diagnostics go to stderr; results (the --json document, a
// --print definition) go to stdout. Colour only on a TTY without NO_COLOR.

export type Verbosity = "quiet" | "normal" | "verbose";

export type LogEvent =
  | { kind: "info"; message: string }
  | { kind: "warn"; message: string }
  | { kind: "debug"; message: string }
  | { kind: "command"; argv: readonly string[]; cwd?: string; dryRun: boolean }
  | { kind: "step-start"; step: string; reason: string }
  | { kind: "step-skip"; step: string; reason: string }
  | { kind: "step-done"; step: string; ms: number; detail?: string }
  | { kind: "step-fail"; step: string; ms: number; message: string };

export interface LoggerOptions {
  verbosity: Verbosity;
  json: boolean;
  color?: boolean;
  write?: (line: string) => void;
}

const EVENT_LEVEL: Record<LogEvent["kind"], Verbosity> = {
  info: "normal",
  warn: "quiet",
  debug: "verbose",
  command: "verbose",
  "step-start": "normal",
  "step-skip": "normal",
  "step-done": "normal",
  "step-fail": "quiet",
};

const RANK: Record<Verbosity, number> = { quiet: 0, normal: 1, verbose: 2 };

export class Logger {
  readonly verbosity: Verbosity;
  readonly json: boolean;
  private readonly color: boolean;
  private readonly write: (line: string) => void;

  constructor(options: LoggerOptions) {
    this.verbosity = options.verbosity;
    this.json = options.json;
    this.color = options.color ?? (process.stderr.isTTY === true && !process.env.NO_COLOR);
    this.write = options.write ?? ((line) => process.stderr.write(`${line}\n`));
  }

  emit(event: LogEvent): void {
    // Under --dry-run the commands are the output: shown unless --quiet.
    const level = event.kind === "command" && event.dryRun ? "normal" : EVENT_LEVEL[event.kind];
    if (RANK[level] > RANK[this.verbosity]) return;

    this.write(this.json ? JSON.stringify({ time: new Date().toISOString(), ...event }) : this.format(event));
  }

  info(message: string): void {
    this.emit({ kind: "info", message });
  }

  warn(message: string): void {
    this.emit({ kind: "warn", message });
  }

  debug(message: string): void {
    this.emit({ kind: "debug", message });
  }

  get isVerbose(): boolean {
    return this.verbosity === "verbose";
  }

  private format(event: LogEvent): string {
    switch (event.kind) {
      case "info":
        return event.message;
      case "warn":
        return this.paint("33", `warning: ${event.message}`);
      case "debug":
        return this.paint("2", event.message);
      case "command":
        return this.paint("2", `${event.dryRun ? "[dry-run] " : "$ "}${formatArgv(event.argv)}${event.cwd ? `  (in ${event.cwd})` : ""}`);
      case "step-start":
        return `${this.paint("36", "▸")} ${event.step}: ${event.reason}`;
      case "step-skip":
        return `${this.paint("2", "○")} ${event.step}: skipped, ${event.reason}`;
      case "step-done":
        return `${this.paint("32", "✔")} ${event.step} (${formatDuration(event.ms)})${event.detail ? `: ${event.detail}` : ""}`;
      case "step-fail":
        return `${this.paint("31", "✖")} ${event.step} failed after ${formatDuration(event.ms)}: ${event.message}`;
    }
  }

  private paint(code: string, text: string): string {
    return this.color ? `\u001b[${code}m${text}\u001b[0m` : text;
  }
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}

/** Shell-like rendering for humans; the argv itself is never joined to run. */
export function formatArgv(argv: readonly string[]): string {
  return argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`)).join(" ");
}
