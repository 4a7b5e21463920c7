// One error type for the whole tool. Deep code throws; only the entry point
// (scripts/lib/main.ts) turns an error into an exit status and a message.

export type ExitCode = 1 | 2 | 130 | 143;

export interface NoetlErrorOptions {
  /** What the user should do next: a command, a flag, a file to edit. */
  hint?: string;
  /** Last lines of a child's output, shown under the one-line message. */
  tail?: string[];
  /** Where the full log of the failing command was kept. */
  logPath?: string;
  cause?: unknown;
}

export class NoetlError extends Error {
  readonly code: ExitCode;
  readonly hint?: string;
  readonly tail: string[];
  readonly logPath?: string;

  constructor(code: ExitCode, message: string, options: NoetlErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = "NoetlError";
    this.code = code;
    this.hint = options.hint;
    this.tail = options.tail ?? [];
    this.logPath = options.logPath;
  }
}

/** Bad input: raised before anything touches disk or the network. Exit 2. */
export function usageError(message: string, hint?: string): NoetlError {
  return new NoetlError(2, message, { hint });
}

/** A task that could not do its job. Exit 1. */
export function taskFailure(message: string, options: NoetlErrorOptions = {}): NoetlError {
  return new NoetlError(1, message, options);
}

/** SIGINT/SIGTERM reached us; children are already stopped. */
export function interrupted(signal: "SIGINT" | "SIGTERM"): NoetlError {
  const code = signal === "SIGINT" ? 130 : 143;
  return new NoetlError(code, `interrupted by ${signal}; previous outputs were left as they were`);
}

export function isNoetlError(error: unknown): error is NoetlError {
  return error instanceof NoetlError;
}

/** The one-line form every user-facing error takes. */
export function formatErrorLine(error: NoetlError): string {
  const message = error.message.replace(/\s*\n\s*/g, " ");
  return error.hint ? `error: ${message} (fix: ${error.hint})` : `error: ${message}`;
}
