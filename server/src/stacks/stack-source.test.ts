import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchStackFile, isPublicAddress, STACK_MAX_BYTES, stackName, stackUrl } from './stack-source';

const COMPOSE = 'services:\n  web:\n    image: nginx\n    ports: ["8080:80"]\n';

describe('stack links', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/stack.yml') return response.end(COMPOSE);
      if (request.url === '/moved') return response.writeHead(302, { location: '/stack.yml' }).end();
      if (request.url === '/page') return response.end('<!DOCTYPE html><html></html>');
      if (request.url === '/huge') return response.end('x'.repeat(STACK_MAX_BYTES + 1));
      response.writeHead(404).end('no');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('take http and https URLs and a compose project name, and say what is wrong with others', () => {
    expect(stackUrl('https://example.org/stack.yml').href).toBe('https://example.org/stack.yml');
    expect(() => stackUrl('file:///etc/passwd')).toThrow(/http or https/);
    expect(() => stackUrl('https://user:pw@example.org/x')).toThrow(/without a user name/);
    expect(() => stackUrl('not a url')).toThrow(/is not a URL/);
    expect(() => stackUrl(42)).toThrow(/must be the URL/);
    expect(stackName(undefined)).toBe('stack');
    expect(stackName('voting_app-2')).toBe('voting_app-2');
    expect(() => stackName('../etc')).toThrow(/lowercase letters/);
  });

  it('tell public addresses from this machine\'s, its LAN\'s and the sandboxes\'', () => {
    expect(['93.184.216.34', '2606:2800:220:1::1'].map(isPublicAddress)).toEqual([true, true]);
    expect(['127.0.0.1', '10.89.0.5', '172.17.0.1', '192.168.1.2', '169.254.169.254', '100.64.0.1', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:7f00:1'].map(isPublicAddress)).toEqual(Array(11).fill(false));
    expect(isPublicAddress('::ffff:5db8:d822')).toBe(true); // 93.184.216.34
  });

  it('fetch the file where private addresses are allowed, following redirects', async () => {
    expect(await fetchStackFile(new URL(`${base}/stack.yml`), 'any')).toBe(COMPOSE);
    expect(await fetchStackFile(new URL(`${base}/moved`), 'any')).toBe(COMPOSE);
  });

  it('by default refuse this machine, by literal or by name, in words', async () => {
    await expect(fetchStackFile(new URL(`${base}/stack.yml`), 'public')).rejects.toThrow(`The playground could not fetch the compose file at ${base}/stack.yml: 127.0.0.1 is not a public address (STACK_LINKS=public). No session was started.`);
    const byName = base.replace('127.0.0.1', 'localhost');
    await expect(fetchStackFile(new URL(`${byName}/stack.yml`), 'public')).rejects.toThrow(/localhost is (127\.0\.0\.1|::1), not a public address/);
    await expect(fetchStackFile(new URL(`${base}/stack.yml`), 'off')).rejects.toThrow(/turned off/);
  });

  it('say why a file cannot be used: an error answer, a web page, too big, nobody there', async () => {
    await expect(fetchStackFile(new URL(`${base}/missing`), 'any')).rejects.toThrow(/the server there answered 404/);
    await expect(fetchStackFile(new URL(`${base}/page`), 'any')).rejects.toThrow(/a web page, not a compose file/);
    await expect(fetchStackFile(new URL(`${base}/huge`), 'any')).rejects.toThrow(/larger than 64 KiB/);
    await expect(fetchStackFile(new URL('http://127.0.0.1:1/stack.yml'), 'any')).rejects.toThrow(/ECONNREFUSED/);
  });
});
