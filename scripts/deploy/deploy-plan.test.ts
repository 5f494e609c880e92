import { describe, expect, it } from 'vitest';
import { deploySettings, frontStackEnv, managerAddresses, pushedImageRef, registryStackEnv } from './deploy-plan';

describe('the deploy plan', () => {
  it('has defaults for one public port through the routing mesh, and refuses bad settings by name', () => {
    expect(deploySettings({})).toEqual({ frontPort: 80, publishMode: 'ingress', nodePort: 8080, registryPort: 5005, allowedHosts: [], publicHost: 'localhost', frontTrustedProxies: [] });
    expect(deploySettings({ FRONT_PORT: '8090', FRONT_PUBLISH_MODE: 'host', ALLOWED_HOSTS: 'play.example.org, 10.0.0.9' })).toMatchObject({ frontPort: 8090, publishMode: 'host', allowedHosts: ['play.example.org', '10.0.0.9'] });
    expect(() => deploySettings({ FRONT_PORT: '0' })).toThrow(/FRONT_PORT=0/);
    expect(() => deploySettings({ FRONT_PUBLISH_MODE: 'vip' })).toThrow(/ingress or host/);
  });

  it('finds the managers\' addresses, also when a manager reports 0.0.0.0', () => {
    const nodes = [
      { Spec: { Role: 'worker' }, Status: { Addr: '10.0.0.4' } },
      { Spec: { Role: 'manager' }, Status: { Addr: '0.0.0.0' }, ManagerStatus: { Addr: '10.0.0.3:2377' } },
      { Spec: { Role: 'manager' }, Status: { Addr: '10.0.0.2' }, ManagerStatus: { Addr: '10.0.0.2:2377' } },
    ];
    expect(managerAddresses(nodes)).toEqual(['10.0.0.2', '10.0.0.3']);
  });

  it('tells the front where the members are read and which names it serves, and the registry where it runs', () => {
    const settings = deploySettings({ NODE_PORT: '8081', ALLOWED_HOSTS: 'play.example.org' });
    const env = frontStackEnv(settings, ['10.0.0.2', 'fd00::2'], '127.0.0.1:5005/playground-front:abc');
    expect(env).toMatchObject({
      FRONT_IMAGE: '127.0.0.1:5005/playground-front:abc',
      SWARM_MEMBERS_FROM: 'http://10.0.0.2:8081,http://[fd00::2]:8081',
      ALLOWED_HOSTS: '10.0.0.2,fd00::2,play.example.org',
      FRONT_PORT: '80',
      FRONT_PUBLISH_MODE: 'ingress',
    });
    expect(() => frontStackEnv(settings, [], 'x')).toThrow(/no manager/);
    expect(registryStackEnv(settings, 'playground-registry:1', 'node-id-1')).toEqual({ REGISTRY_IMAGE: 'playground-registry:1', REGISTRY_PORT: '5005', REGISTRY_NODE_ID: 'node-id-1' });
    expect(pushedImageRef('127.0.0.1:5005', 'playground-front:abc')).toBe('127.0.0.1:5005/playground-front:abc');
  });
});
