import { describe, expect, it } from 'vitest';
import { parseRoute, sessionPath } from './route';

describe('parseRoute', () => {
  it('reads a session id from /s/<id>', () => {
    expect(parseRoute('/s/AbCdEfGhIjKlMnOpQrSt_-')).toEqual({ kind: 'session', id: 'AbCdEfGhIjKlMnOpQrSt_-' });
    expect(parseRoute('/s/abc/')).toEqual({ kind: 'session', id: 'abc' });
  });

  it('treats everything else as the landing page', () => {
    expect(parseRoute('/')).toEqual({ kind: 'landing' });
    expect(parseRoute('/s/')).toEqual({ kind: 'landing' });
    expect(parseRoute('/s/a/b')).toEqual({ kind: 'landing' });
    expect(parseRoute('/other')).toEqual({ kind: 'landing' });
  });

  it('round-trips ids through sessionPath', () => {
    for (const id of ['plain', 'with space', 'per%cent']) {
      expect(parseRoute(sessionPath(id))).toEqual({ kind: 'session', id });
    }
  });

  it('keeps a malformed escape as it is', () => {
    expect(parseRoute('/s/%E0%A4%A')).toEqual({ kind: 'session', id: '%E0%A4%A' });
  });
});
