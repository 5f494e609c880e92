import { describe, expect, it } from 'vitest';
import { MIRROR_IMAGES } from '../../server/src/sandbox/image-definitions';
import { mirrorPushRef } from '../../server/src/sandbox/image-refs';
import { managedLabels } from '../../server/src/sandbox/labels';
import { CACHE_URL_FOR_SANDBOXES, MIRROR_URL_FOR_SANDBOXES, REGISTRY_CACHE_NETWORK_ALIAS, REGISTRY_NETWORK_ALIAS, REGISTRY_PORT } from '../../server/src/sandbox/registry-names';
import { sandboxHostConfig, SANDBOX_CAPABILITIES, SANDBOX_CAPABILITIES_NOT_GRANTED } from '../../server/src/docker/sandbox-host-config';
import { splitRef } from './base-images';

describe('image references', () => {
  it('splits repository and tag, also with a registry port', () => {
    expect(splitRef('playground-base:trixie-0123')).toEqual(['playground-base', 'trixie-0123']);
    expect(splitRef('127.0.0.1:5001/library/busybox:latest')).toEqual(['127.0.0.1:5001/library/busybox', 'latest']);
    expect(splitRef('127.0.0.1:5001/library/busybox')).toEqual(['127.0.0.1:5001/library/busybox', 'latest']);
  });

  it('pushes mirror images to the writer under library/<name>', () => {
    const busybox = MIRROR_IMAGES.find((m) => m.repository === 'library/busybox')!;
    expect(mirrorPushRef(busybox, 'latest')).toBe('127.0.0.1:5001/library/busybox:latest');
    const debian = MIRROR_IMAGES.find((m) => m.repository === 'library/debian')!;
    expect(debian.tags).toEqual(expect.arrayContaining(['bookworm', '12', 'latest']));
  });

  it('agrees on the mirror URL and labels', () => {
    expect(MIRROR_URL_FOR_SANDBOXES).toBe(`http://${REGISTRY_NETWORK_ALIAS}:${REGISTRY_PORT}`);
    expect(CACHE_URL_FOR_SANDBOXES).toBe(`http://${REGISTRY_CACHE_NETWORK_ALIAS}:${REGISTRY_PORT}`);
    expect(managedLabels('registry-mirror')).toEqual({
      'dev.playground.managed-by': 'docker-playground',
      'dev.playground.role': 'registry-mirror',
    });
  });
});

describe('the sandbox HostConfig', () => {
  it('is never privileged and grants only the listed capabilities', () => {
    const hc = sandboxHostConfig();
    expect(hc.Privileged).toBe(false);
    expect(hc.CapDrop).toEqual(['ALL']);
    expect(hc.CapAdd).toEqual([...SANDBOX_CAPABILITIES]);
    for (const cap of ['SYS_MODULE', 'SYS_RAWIO', 'SYS_BOOT', 'SYS_TIME', 'SYSLOG', 'MAC_ADMIN', 'MAC_OVERRIDE', 'AUDIT_CONTROL', 'BPF', 'PERFMON', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'SYS_RESOURCE']) {
      expect(hc.CapAdd).not.toContain(cap);
      expect(SANDBOX_CAPABILITIES_NOT_GRANTED).toContain(cap);
    }
    expect(hc.CgroupnsMode).toBe('private');
    // Nothing a sandbox writes lands on the host's disk: the image's root is read-only (issue 17).
    expect(hc.ReadonlyRootfs).toBe(true);
  });

  it('allows character devices only, and no unconfined system paths', () => {
    const hc = sandboxHostConfig();
    expect(hc.DeviceCgroupRules?.every((r) => r.startsWith('c ') && !r.startsWith('c *'))).toBe(true);
    expect(hc.SecurityOpt).not.toContain('systempaths=unconfined');
    const seccomp = (hc.SecurityOpt as string[]).find((o) => o.startsWith('seccomp='));
    expect(JSON.parse(seccomp!.slice('seccomp='.length)).defaultAction).toBe('SCMP_ACT_ALLOW');
  });

  it('returns a fresh object each time', () => {
    const a = sandboxHostConfig();
    (a.CapAdd as string[]).push('X');
    expect(sandboxHostConfig().CapAdd).not.toContain('X');
  });
});
