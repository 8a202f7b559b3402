/** Times as a learner reads them: the clock and the length of a fast-forward. */

/** `11 h 58 m`, `3 m 20 s`, `4.5 s`, `30 ms`. */
export function formatDuration(ms: number): string {
  if (ms >= 3_600_000) {
    const h = Math.floor(ms / 3_600_000);
    const m = Math.round((ms - h * 3_600_000) / 60_000);
    return m === 60 ? `${h + 1} h` : `${h} h ${m} m`;
  }
  if (ms >= 60_000) {
    const m = Math.floor(ms / 60_000);
    const s = Math.round((ms - m * 60_000) / 1000);
    return s === 60 ? `${m + 1} m` : `${m} m ${s} s`;
  }
  if (ms >= 1000) return `${Math.round(ms / 100) / 10} s`;
  return `${Math.round(ms)} ms`;
}

/** The simulation clock: `1.281 s`, `12 h 00 m 03.120 s`. Millisecond resolution. */
export function formatClock(ms: number): string {
  const whole = Math.round(ms);
  const seconds = ((whole % 60_000) / 1000).toFixed(3);
  if (whole < 60_000) return `${seconds} s`;
  const minutes = Math.floor(whole / 60_000) % 60;
  const hours = Math.floor(whole / 3_600_000);
  const padS = seconds.padStart(6, '0');
  return hours > 0 ? `${hours} h ${String(minutes).padStart(2, '0')} m ${padS} s` : `${minutes} m ${padS} s`;
}
