import { describe, expect, it } from 'vitest';
import { parseClassRoute, parseRoute, sessionPath } from './route';

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

describe('class routes', () => {
  it('names the trainer\'s page, a class to join and a cockpit; anything else is the playground\'s', () => {
    expect(parseClassRoute('/trainer')).toEqual({ kind: 'trainer' });
    expect(parseClassRoute('/e/abcd2345')).toEqual({ kind: 'join', code: 'abcd2345' });
    expect(parseClassRoute('/t/k3y_-')).toEqual({ kind: 'cockpit', key: 'k3y_-' });
    expect(parseClassRoute('/s/abc')).toBeUndefined();
    expect(parseClassRoute('/')).toBeUndefined();
  });
});
