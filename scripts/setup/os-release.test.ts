import { describe, expect, it } from 'vitest';
import { compareVersions, noEngineMessage } from './engine';
import { isDebianLike, parseOsRelease } from './os-release';

describe('os-release', () => {
  it('reads Debian', () => {
    const os = parseOsRelease('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n');
    expect(os).toMatchObject({ id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' });
    expect(isDebianLike(os)).toBe(true);
  });

  it('knows Ubuntu derivatives and refuses others', () => {
    expect(isDebianLike(parseOsRelease('ID=linuxmint\nID_LIKE="ubuntu debian"\n'))).toBe(true);
    expect(isDebianLike(parseOsRelease("ID='fedora'\n"))).toBe(false);
    expect(isDebianLike(parseOsRelease('# nothing\n'))).toBe(false);
  });
});

describe('engine helpers', () => {
  it('compares API versions numerically', () => {
    expect(compareVersions('1.41', '1.41')).toBe(0);
    expect(compareVersions('1.45', '1.41')).toBeGreaterThan(0);
    expect(compareVersions('1.9', '1.41')).toBeLessThan(0);
  });

  it('says what to install and start when no engine answers', () => {
    const elsewhere = noEngineMessage('unix:///var/run/docker.sock', 'ENOENT', false, true);
    expect(elsewhere).toMatch(/Install Docker Engine/);
    expect(elsewhere).toMatch(/start it/);
    expect(noEngineMessage('unix:///var/run/docker.sock', 'ENOENT', true, false)).toMatch(/as root/);
  });
});
