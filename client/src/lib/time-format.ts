/**
 * Formats a duration as h:mm:ss (e.g. 0:59:07). Rounds up to whole seconds, so it reads 0:00:00 only
 * once the time is really over; negative durations read 0:00:00.
 */
export function formatTimeLeft(ms: number): string {
  const totalSeconds = Number.isFinite(ms) ? Math.max(0, Math.ceil(ms / 1000)) : 0;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  return `${hours}:${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
}

/** Milliseconds until the displayed value of formatTimeLeft(ms) next changes (at least 1). */
export function msUntilNextTick(ms: number): number {
  if (ms <= 0) return 1000;
  const rest = ms % 1000;
  return rest === 0 ? 1000 : Math.max(1, Math.ceil(rest));
}

/** A session's lifetime in words: "4 hours", "1 hour 30 minutes", "15 minutes", "45 seconds". */
export function formatDurationWords(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  if (total < 60) return `${total} second${total === 1 ? '' : 's'}`;
  // Rounded to whole minutes first, so 1 h 59 min 40 s reads "2 hours", never "1 hour 60 minutes".
  const allMinutes = Math.round(total / 60);
  const hours = Math.floor(allMinutes / 60);
  const minutes = allMinutes % 60;
  const parts = [];
  if (hours > 0) parts.push(`${hours} hour${hours === 1 ? '' : 's'}`);
  if (minutes > 0) parts.push(`${minutes} minute${minutes === 1 ? '' : 's'}`);
  return parts.join(' ');
}
