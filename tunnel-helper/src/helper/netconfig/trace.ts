// WIREDESK_TRACE=1: each step of an up on stderr, in ms since the process
// started (performance.now() counts from there), to find where a connect
// spends its time. Off by default; prints no keys, only step names.
const on = process.env.WIREDESK_TRACE === '1';

export function trace(step: string): void {
  if (on) process.stderr.write(`[trace] ${performance.now().toFixed(1).padStart(7)} ms ${step}\n`);
}
