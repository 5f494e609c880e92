/** The terminal WebSocket's URL on the page's own origin: wss: under https:, ws: otherwise. */
export function terminalUrl(
  location: Pick<Location, 'protocol' | 'host'>,
  sessionId: string,
  instance: string,
): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return (
    `${scheme}//${location.host}/api/sessions/${encodeURIComponent(sessionId)}` +
    `/instances/${encodeURIComponent(instance)}/terminal`
  );
}
