// Where a port-preview request goes, from its URL (path form) or Host header (host form). Pure.
//   path form: /p/{previewKey}/{instance}/{port}/{rest}
//   host form: {instance}-{port}-{previewKey}.{PUBLIC_HOST}
// Only the session's key, an instance name and a port come from the request; the address is always
// the instance's own, looked up by the caller.

export interface PreviewTarget {
  form: 'path' | 'host';
  key: string;
  instance: string;
  port: number;
  /** Path and query to ask the instance for. */
  upstreamPath: string;
  /** The URL prefix the preview lives under ('' for the host form). */
  prefix: string;
}

export type PreviewRoute =
  | { kind: 'none' }
  | { kind: 'target'; target: PreviewTarget }
  | { kind: 'redirect'; location: string }
  | { kind: 'bad'; status: 400 | 404; message: string };

const KEY = /^[0-9a-f]{32}$/;
const INSTANCE = /^node[1-9]\d{0,2}$/;

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

function checked(form: PreviewTarget['form'], key: string, instance: string, portText: string, upstreamPath: string, prefix: string): PreviewRoute {
  const port = parsePort(portText);
  if (port === undefined) return { kind: 'bad', status: 400, message: `"${portText}" is not a port: use a number from 1 to 65535.` };
  if (!KEY.test(key) || !INSTANCE.test(instance)) return { kind: 'bad', status: 404, message: 'No such preview: the session or instance does not exist.' };
  return { kind: 'target', target: { form, key, instance, port, upstreamPath, prefix } };
}

/** The path form, from a request's URL (path and query, as in the request line). */
export function parsePathForm(url: string): PreviewRoute {
  if (!url.startsWith('/p/')) return { kind: 'none' };
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const query = queryAt === -1 ? '' : url.slice(queryAt);
  const parts = path.split('/'); // ['', 'p', key, instance, port, ...rest]
  if (parts.length < 5) return { kind: 'bad', status: 404, message: 'A preview address is /p/{session}/{instance}/{port}/.' };
  const [, , key, instance, portText] = parts as [string, string, string, string, string];
  const prefix = `/p/${key}/${instance}/${portText}`;
  // Without the trailing slash, the app's relative links would resolve one folder too high.
  if (parts.length === 5) return { kind: 'redirect', location: `${prefix}/${query}` };
  return checked('path', key, instance, portText, `/${parts.slice(5).join('/')}${query}`, prefix);
}

/** The host form, from the Host header; `publicHost` is PUBLIC_HOST (a port in either is ignored). */
export function parseHostForm(hostHeader: string | undefined, publicHost: string, url: string): PreviewRoute {
  if (!hostHeader) return { kind: 'none' };
  const host = hostHeader.toLowerCase().replace(/:\d+$/, '');
  const suffix = `.${publicHost.toLowerCase().replace(/:\d+$/, '')}`;
  if (!host.endsWith(suffix)) return { kind: 'none' };
  const label = host.slice(0, -suffix.length);
  const match = /^(node[1-9]\d{0,2})-(\d{1,5})-([0-9a-f]{32})$/.exec(label);
  if (!match) return { kind: 'bad', status: 404, message: 'No such preview: use {instance}-{port}-{session}.' + publicHost };
  return checked('host', match[3]!, match[1]!, match[2]!, url.startsWith('/') ? url : '/', '');
}
