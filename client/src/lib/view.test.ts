import { describe, expect, it } from 'vitest';
import { firstView, workshopOfLink } from './view';

describe('firstView', () => {
  it('shows the landing page where there is no address bar', () => {
    expect(firstView(undefined)).toEqual({ kind: 'landing' });
  });

  it('loads the session a /s/<id> address names, whatever the query says', () => {
    expect(firstView({ pathname: '/s/abc', search: '' })).toEqual({ kind: 'loading', id: 'abc' });
    expect(firstView({ pathname: '/s/abc', search: '?workshop=intro' })).toEqual({ kind: 'loading', id: 'abc' });
  });

  it('starts the workshop a link names, and shows the landing page otherwise', () => {
    expect(firstView({ pathname: '/', search: '?workshop=intro' })).toEqual({ kind: 'starting-workshop', name: 'intro' });
    expect(firstView({ pathname: '/', search: '' })).toEqual({ kind: 'landing' });
    expect(firstView({ pathname: '/', search: '?workshop=%20' })).toEqual({ kind: 'landing' });
  });
});

describe('workshopOfLink', () => {
  it('reads the workshop name, trimmed; a blank one is none', () => {
    expect(workshopOfLink('?workshop=%20intro%20')).toBe('intro');
    expect(workshopOfLink('?workshop=')).toBeUndefined();
    expect(workshopOfLink('?other=1')).toBeUndefined();
    expect(workshopOfLink('')).toBeUndefined();
  });
});
