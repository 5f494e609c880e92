import { describe, expect, it } from 'vitest';
import { firstView, linkHeadings, linkOf, wantedOf } from './view';

describe('firstView', () => {
  it('shows the landing page where there is no address bar', () => {
    expect(firstView(undefined)).toEqual({ kind: 'landing' });
  });

  it('loads the session a /s/<id> address names, whatever the query says', () => {
    expect(firstView({ pathname: '/s/abc', search: '' })).toEqual({ kind: 'loading', id: 'abc' });
    expect(firstView({ pathname: '/s/abc', search: '?workshop=intro' })).toEqual({ kind: 'loading', id: 'abc' });
  });

  it('starts the workshop a link names, and shows the landing page otherwise', () => {
    expect(firstView({ pathname: '/', search: '?workshop=intro' })).toEqual({ kind: 'starting-link', link: { kind: 'workshop', name: 'intro' } });
    expect(firstView({ pathname: '/', search: '?stack=https://example.org/s.yml' })).toEqual({ kind: 'starting-link', link: { kind: 'stack', url: 'https://example.org/s.yml' } });
    expect(firstView({ pathname: '/', search: '' })).toEqual({ kind: 'landing' });
    expect(firstView({ pathname: '/', search: '?workshop=%20' })).toEqual({ kind: 'landing' });
  });
});

describe('linkOf', () => {
  it('reads Play-with-Docker\'s stack links, with their stack_name, and what they ask the server', () => {
    const link = linkOf('?stack=https%3A%2F%2Fexample.org%2Fstack.yml&stack_name=voting');
    expect(link).toEqual({ kind: 'stack', url: 'https://example.org/stack.yml', name: 'voting' });
    expect(wantedOf(link!)).toEqual({ stack: 'https://example.org/stack.yml', stackName: 'voting' });
    expect(wantedOf({ kind: 'workshop', name: 'intro' })).toEqual({ workshop: 'intro' });
    expect(linkOf('?stack=')).toBeUndefined();
  });

  it('reads a saved session\'s link, what it asks the server, and what the page says meanwhile', () => {
    const link = linkOf('?saved=AbCdEfGhIjKlMnOpQrStUv');
    expect(link).toEqual({ kind: 'saved', id: 'AbCdEfGhIjKlMnOpQrStUv' });
    expect(wantedOf(link!)).toEqual({ saved: 'AbCdEfGhIjKlMnOpQrStUv' });
    expect(linkHeadings(link!)).toEqual({ starting: 'Resuming the saved session…', failed: 'Could not resume the saved session' });
    expect(linkOf('?saved=%20')).toBeUndefined();
  });

  it('reads the workshop name, trimmed; a blank one is none', () => {
    expect(linkOf('?workshop=%20intro%20')).toEqual({ kind: 'workshop', name: 'intro' });
    expect(linkOf('?workshop=')).toBeUndefined();
    expect(linkOf('?other=1')).toBeUndefined();
    expect(linkOf('')).toBeUndefined();
  });
});
