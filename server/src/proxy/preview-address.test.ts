import { describe, expect, it } from 'vitest';
import { parseHostForm, parsePathForm } from './preview-address';

const key = '0123456789abcdef0123456789abcdef';

describe('parsePathForm', () => {
  it('takes the key, instance and port, and forwards the rest with its query', () => {
    expect(parsePathForm(`/p/${key}/node2/8080/api/items?x=1`)).toEqual({
      kind: 'target',
      target: { form: 'path', key, instance: 'node2', port: 8080, upstreamPath: '/api/items?x=1', prefix: `/p/${key}/node2/8080` },
    });
    expect(parsePathForm(`/p/${key}/node1/80/`)).toMatchObject({ kind: 'target', target: { upstreamPath: '/' } });
  });

  it('redirects to the trailing slash so relative links work', () => {
    expect(parsePathForm(`/p/${key}/node1/80?a=b`)).toEqual({ kind: 'redirect', location: `/p/${key}/node1/80/?a=b` });
  });

  it('refuses ports outside 1-65535 with 400 and unknown shapes with 404', () => {
    for (const port of ['0', '70000', 'http', '-1', '80.5']) {
      expect(parsePathForm(`/p/${key}/node1/${port}/`)).toMatchObject({ kind: 'bad', status: 400 });
    }
    expect(parsePathForm(`/p/${key}/..%2f/80/`)).toMatchObject({ kind: 'bad', status: 404 });
    expect(parsePathForm('/p/not-a-key/node1/80/')).toMatchObject({ kind: 'bad', status: 404 });
    expect(parsePathForm('/p/x')).toMatchObject({ kind: 'bad', status: 404 });
    expect(parsePathForm('/api/health')).toEqual({ kind: 'none' });
  });
});

describe('parseHostForm', () => {
  it('reads {instance}-{port}-{key}.PUBLIC_HOST, case and port aside, and forwards the whole URL', () => {
    expect(parseHostForm(`Node1-8080-${key.toUpperCase()}.LocalHost:8080`, 'localhost', '/a?b')).toEqual({
      kind: 'target',
      target: { form: 'host', key, instance: 'node1', port: 8080, upstreamPath: '/a?b', prefix: '' },
    });
  });

  it('leaves other hosts alone and refuses malformed preview hosts', () => {
    expect(parseHostForm('localhost:8080', 'localhost', '/')).toEqual({ kind: 'none' });
    expect(parseHostForm('example.org', 'localhost', '/')).toEqual({ kind: 'none' });
    expect(parseHostForm(undefined, 'localhost', '/')).toEqual({ kind: 'none' });
    expect(parseHostForm(`evil.node1-80-${key}.localhost`, 'localhost', '/')).toMatchObject({ kind: 'bad', status: 404 });
    expect(parseHostForm(`node1-99999-${key}.localhost`, 'localhost', '/')).toMatchObject({ kind: 'bad', status: 400 });
  });
});
