import { describe, expect, it } from 'vitest';
import { previewDomainWarning, registrableDomain } from './preview-domain';

describe('registrableDomain', () => {
  it('is the last two labels, or three under a generic second level', () => {
    expect(registrableDomain('play.example.com')).toBe('example.com');
    expect(registrableDomain('Example.COM.')).toBe('example.com');
    expect(registrableDomain('a.b.example.co.uk')).toBe('example.co.uk');
    expect(registrableDomain('previews.example.com.au')).toBe('example.com.au');
    expect(registrableDomain('localhost')).toBe('localhost');
    expect(registrableDomain('192.168.1.20')).toBe('192.168.1.20');
    expect(registrableDomain('[::1]')).toBe('::1');
  });
});

describe('previewDomainWarning', () => {
  it('warns when previews share the page’s site', () => {
    expect(previewDomainWarning('example.com', ['play.example.com'])).toMatch(/shares the site example.com with the page's play.example.com/);
    expect(previewDomainWarning('previews.example.com', ['127.0.0.1', 'play.example.com'])).toMatch(/domain of their own/);
  });

  it('is quiet for a separate preview domain and for the localhost default', () => {
    expect(previewDomainWarning('previews.example-usercontent.net', ['play.example.com'])).toBeUndefined();
    expect(previewDomainWarning('localhost', ['localhost', '127.0.0.1'])).toBeUndefined();
    expect(previewDomainWarning('example.co.uk', ['play.other.co.uk'])).toBeUndefined();
  });
});
