import { describe, expect, it } from 'vitest';
import { newSessionId, sessionKey } from '../sessions/session-key';
import { frontRouteOf } from './front-routing';

const KEY = 'a'.repeat(32);

describe('front routing', () => {
  it('sends a session\'s API calls and terminal to the node holding it, by the key of its id', () => {
    const id = newSessionId();
    for (const url of [`/api/sessions/${id}`, `/api/sessions/${id}/instances/node1/terminal?n=2`, `/api/sessions/${id}/extend`]) {
      expect(frontRouteOf('GET', url, 'play.example', 'play.example')).toEqual({ kind: 'session', key: sessionKey(id) });
    }
  });

  it('sends previews, path form and host form, to the node holding the session', () => {
    expect(frontRouteOf('GET', `/p/${KEY}/node1/80/`, 'play.example', 'play.example')).toEqual({ kind: 'session', key: KEY });
    expect(frontRouteOf('GET', '/', `node2-8080-${KEY}.play.example`, 'play.example')).toEqual({ kind: 'session', key: KEY });
    expect(frontRouteOf('GET', `/p/${KEY}/node1/80`, 'play.example', 'play.example')).toEqual({ kind: 'any' });
  });

  it('places new sessions and places in line; tickets go to the node whose line they are in', () => {
    expect(frontRouteOf('POST', '/api/sessions', 'h', 'h')).toEqual({ kind: 'place' });
    expect(frontRouteOf('POST', '/api/waiting-room', 'h', 'h')).toEqual({ kind: 'place' });
    expect(frontRouteOf('GET', '/api/waiting-room/abc', 'h', 'h')).toEqual({ kind: 'ticket' });
    expect(frontRouteOf('DELETE', '/api/waiting-room/abc', 'h', 'h')).toEqual({ kind: 'ticket' });
    expect(frontRouteOf('GET', '/api/saved/abc', 'h', 'h')).toEqual({ kind: 'saved' });
    expect(frontRouteOf('DELETE', '/api/saved/abc', 'h', 'h')).toEqual({ kind: 'saved' });
  });

  it('lets any node answer what every node answers alike, malformed ids included', () => {
    expect(frontRouteOf('GET', '/api/workshops', 'h', 'h')).toEqual({ kind: 'any' });
    expect(frontRouteOf('GET', '/api/sessions/not-an-id', 'h', 'h')).toEqual({ kind: 'any' });
    expect(frontRouteOf('GET', '/api/sessions/%E0%A4%A', 'h', 'h')).toEqual({ kind: 'any' });
    expect(frontRouteOf('GET', '/api/sessions', 'h', 'h')).toEqual({ kind: 'any' });
  });

  it('sends classes (making, joining, the cockpit) to the one node that keeps them', () => {
    for (const [method, url] of [['POST', '/api/events'], ['GET', '/api/events/abcd2345'], ['POST', '/api/events/abcd2345/learners'], ['GET', '/api/trainer/key/results.csv']]) {
      expect(frontRouteOf(method!, url!, 'play.example.org', 'play.example.org')).toEqual({ kind: 'classes' });
    }
    expect(frontRouteOf('GET', '/api/eventsx', 'play.example.org', 'play.example.org')).toEqual({ kind: 'any' });
  });

  it('answers health itself, and serves the page', () => {
    expect(frontRouteOf('GET', '/api/health', 'h', 'h')).toEqual({ kind: 'health' });
    expect(frontRouteOf('GET', '/api/health/ready', 'h', 'h')).toEqual({ kind: 'health' });
    expect(frontRouteOf('GET', '/api/health/live', 'h', 'h')).toEqual({ kind: 'live' });
    expect(frontRouteOf('GET', '/metrics', 'h', 'h')).toEqual({ kind: 'metrics' });
    expect(frontRouteOf('GET', '/s/abc', 'h', 'h')).toEqual({ kind: 'static' });
    expect(frontRouteOf('GET', '/', 'h', 'h')).toEqual({ kind: 'static' });
  });
});
