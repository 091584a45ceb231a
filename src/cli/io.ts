/**
 * What the CLI writes to. `main` takes these instead of touching `process`, so tests run it in-process with
 * string-collecting writers (STYLE P14).
 */
export interface TextSink {
  write(text: string): unknown;
  /** True when the sink is a terminal; the progress bar only draws on one. */
  isTTY?: boolean;
}

export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
}
