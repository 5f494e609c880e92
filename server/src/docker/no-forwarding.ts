import type Docker from 'dockerode';

// Containers that sit on session networks beside the sandboxes (the registry mirror and the
// pull-through cache on every one, each session's own registry on its own) must never route
// packets: a sandbox could otherwise point a route at one (`ip route add <LAN host> via
// <mirror>`) and leave its session through it, past rules that watch the session's bridge.
// Containers inherit the host's IPv4 forwarding (on, for Docker), so it is turned off here; IPv6
// is off altogether (session networks are IPv4 only, and a sandbox could turn its own IPv6 on).

/** HostConfig.Sysctls of every container that shares a session network with sandboxes. */
export const NO_FORWARDING_SYSCTLS: Readonly<Record<string, string>> = {
  'net.ipv4.ip_forward': '0',
  'net.ipv6.conf.all.disable_ipv6': '1',
  'net.ipv6.conf.default.disable_ipv6': '1',
};

/** Why an existing container does not match NO_FORWARDING_SYSCTLS (it was made before them), or undefined. */
export function forwardingDifference(info: Docker.ContainerInspectInfo): string | undefined {
  const sysctls = info.HostConfig.Sysctls ?? {};
  const wrong = Object.entries(NO_FORWARDING_SYSCTLS).find(([name, value]) => sysctls[name] !== value);
  return wrong ? `it may forward packets (${wrong[0]} is not ${wrong[1]})` : undefined;
}
