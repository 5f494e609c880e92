import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extract } from 'tar-stream';
import type { Playground } from '../../src/main';
import { api, createSession, execIn, startTestPlayground } from './harness';

function filesUrl(id: string, path: string, list = false): string {
  return `/api/sessions/${id}/instances/node1/files${list ? '/list' : ''}?path=${encodeURIComponent(path)}`;
}

async function put(playground: Playground, id: string, path: string, body: Buffer | string) {
  const response = await fetch(playground.url + filesUrl(id, path), { method: 'PUT', body });
  return { status: response.status, json: (await response.json()) as any };
}

async function download(playground: Playground, id: string, path: string) {
  const response = await fetch(playground.url + filesUrl(id, path));
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

function tarEntries(archive: Buffer): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const found: Record<string, string> = {};
    const unpack = extract();
    unpack.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        found[header.name] = Buffer.concat(chunks).toString('utf8');
        next();
      });
    });
    unpack.on('finish', () => resolve(found));
    unpack.on('error', reject);
    unpack.end(archive);
  });
}

describe('files in and out of an instance', () => {
  let playground: Playground;
  let id: string;
  beforeAll(async () => {
    playground = await startTestPlayground({ UPLOAD_MAX_BYTES: '1000000' });
    id = (await createSession(playground)).id;
  });
  afterAll(async () => {
    await playground?.close({ removeSessions: true });
  });

  it('uploads into new nested folders, replaces a file keeping its mode, and cat shows the content', async () => {
    expect(await put(playground, id, 'app/sub/hello.txt', 'first\n')).toEqual({ status: 201, json: { path: '/root/app/sub/hello.txt', size: 6 } });
    expect((await execIn(playground, id, 'cat /root/app/sub/hello.txt')).stdout).toBe('first\n');
    await execIn(playground, id, 'chmod 755 /root/app/sub/hello.txt');
    expect((await put(playground, id, '/root/app/sub/hello.txt', 'second\n')).status).toBe(201);
    const after = await execIn(playground, id, 'cat /root/app/sub/hello.txt; stat -c %a /root/app/sub/hello.txt; ls -A /root/app/sub');
    expect(after.stdout).toBe('second\n755\nhello.txt\n');
  });

  it('downloads a file byte for byte and a folder as a tar archive', async () => {
    const binary = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7 + 3) % 256));
    expect((await put(playground, id, 'bin/data.bin', binary)).status).toBe(201);
    const file = await download(playground, id, '/root/bin/data.bin');
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(/attachment; filename="data.bin"/);
    expect(file.body.equals(binary)).toBe(true);

    await put(playground, id, 'tree/a.txt', 'A');
    await put(playground, id, 'tree/deeper/b.txt', 'B');
    const folder = await download(playground, id, 'tree');
    expect(folder.headers.get('content-type')).toBe('application/x-tar');
    expect(folder.headers.get('content-disposition')).toMatch(/filename="tree.tar"/);
    expect(await tarEntries(folder.body)).toMatchObject({ 'tree/a.txt': 'A', 'tree/deeper/b.txt': 'B' });
  });

  it('lists a folder, folders first; missing is 404 and a file is 400', async () => {
    const { status, json } = await api(playground, 'GET', filesUrl(id, 'tree', true));
    expect(status).toBe(200);
    expect(json).toEqual({
      path: '/root/tree',
      entries: [
        { name: 'deeper', type: 'dir', size: expect.any(Number) },
        { name: 'a.txt', type: 'file', size: 1 },
      ],
    });
    expect((await api(playground, 'GET', filesUrl(id, 'nope', true))).status).toBe(404);
    expect((await api(playground, 'GET', filesUrl(id, 'tree/a.txt', true))).status).toBe(400);
    expect((await download(playground, id, '/root/nope')).status).toBe(404);
  });

  it('refuses an oversized upload with 413 before writing, and one without a length with 411', async () => {
    const big = await put(playground, id, 'big.bin', Buffer.alloc(1_500_000, 1));
    expect(big.status).toBe(413);
    expect(big.json.error).toMatchObject({ code: 'payload_too_large' });
    expect(big.json.error.message).toMatch(/over the limit of 1 MB \(UPLOAD_MAX_BYTES\)/);
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(playground.url + filesUrl(id, 'chunked.txt'), { method: 'PUT', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('data');
    });
    expect(chunked).toBe(411);
    expect((await execIn(playground, id, 'ls -A /root | grep -c -e big.bin -e chunked.txt -e upload- || true')).stdout.trim()).toBe('0');
  });

  it('leaves nothing behind when an upload breaks off, and keeps serving', async () => {
    await new Promise<void>((resolve) => {
      const req = httpRequest(playground.url + filesUrl(id, 'broken.bin'), { method: 'PUT', headers: { 'content-length': '500000' } });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(100_000, 2));
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 500);
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await execIn(playground, id, 'ls -A /root | grep -c -e broken.bin -e upload- || true')).stdout.trim()).toBe('0');
    expect((await put(playground, id, 'after.txt', 'ok')).status).toBe(201);
  });

  it('stays inside the instance: .., symlinks to / and odd names', async () => {
    const hostname = (await execIn(playground, id, 'hostname')).stdout.trim();
    expect(hostname).toBe('node1');
    expect((await download(playground, id, '/root/../../etc/hostname')).body.toString().trim()).toBe('node1');
    await execIn(playground, id, 'ln -sfn / /root/rootlink && ln -sfn /etc /root/etclink');
    expect((await put(playground, id, '/root/rootlink/tmp/through-link.txt', 'inside')).status).toBe(201);
    expect((await execIn(playground, id, 'cat /tmp/through-link.txt')).stdout).toBe('inside');
    expect((await download(playground, id, '/root/etclink/hostname')).body.toString().trim()).toBe('node1');
    for (const name of ['with space.txt', `quote"'.txt`, 'ünïcødé ✓.txt', '-dash.txt', 'new\nline.txt']) {
      expect((await put(playground, id, `odd/${name}`, name)).status, name).toBe(201);
    }
    const listing = await api(playground, 'GET', filesUrl(id, 'odd', true));
    expect(listing.json.entries.map((entry: { name: string }) => entry.name).sort()).toEqual(
      ['with space.txt', `quote"'.txt`, 'ünïcødé ✓.txt', '-dash.txt', 'new\nline.txt'].sort(),
    );
    expect((await put(playground, id, '/', 'x')).status).toBe(400);
    expect((await api(playground, 'GET', `/api/sessions/${id}/instances/node1/files?path=a%00b`)).status).toBe(400);
  });
});
