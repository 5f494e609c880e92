import { isIP } from 'node:net';

// Whether host-form previews live on a site of their own. Pure.
//
// Browsers scope cookies (Domain=...) and Clear-Site-Data to the registrable domain ("site"):
// a preview at node1-80-key.example.com can set cookies for example.com that the page at
// play.example.com then receives, and fixate or overwrite them. Previews need a domain of their
// own (play.example.com for the page, *.example-previews.net for previews).

/** Second-level labels under which names are registered (co.uk, com.au, ac.jp, ...). */
const GENERIC_SECOND_LEVEL = new Set(['co', 'com', 'org', 'net', 'ac', 'gov', 'edu', 'or', 'ne', 'go', 'gv', 'mil', 'nic', 'ltd', 'plc', 'sch']);

/**
 * A simple approximation of the registrable domain: the last two labels, or three when the
 * second-to-last is a generic second level (example.co.uk). IP addresses are their own site.
 */
export function registrableDomain(host: string): string {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  if (isIP(name) !== 0) return name;
  const labels = name.split('.');
  const keep = labels.length >= 3 && GENERIC_SECOND_LEVEL.has(labels[labels.length - 2]!) ? 3 : 2;
  return labels.slice(-keep).join('.');
}

/**
 * A warning for the log when previews under PUBLIC_HOST share a site with a name the page is
 * served under, or undefined. localhost for both is the development default and is not warned of.
 */
export function previewDomainWarning(publicHost: string, pageHosts: readonly string[]): string | undefined {
  const previewSite = registrableDomain(publicHost);
  if (previewSite === 'localhost') return undefined;
  const shared = pageHosts.filter((host) => registrableDomain(host) === previewSite);
  if (shared.length === 0) return undefined;
  return (
    `PUBLIC_HOST=${publicHost} shares the site ${previewSite} with the page's ${shared.join(', ')}: ` +
    'a host-form preview could set cookies the playground page receives. Serve previews under a domain of their own ' +
    '(e.g. PUBLIC_HOST=previews.example-usercontent.net with a wildcard DNS name).'
  );
}
