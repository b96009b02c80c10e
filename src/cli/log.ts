/** Diagnostics for humans, on stderr so stdout stays clean for output that scripts read. */
export function logToStderr(message: string): void {
  process.stderr.write(`samsa: ${message}\n`);
}
