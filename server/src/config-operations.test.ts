import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

describe('operations settings: METRICS and LOG_FORMAT', () => {
  it('serves metrics and logs text lines by default', () => {
    const config = loadConfig({});
    expect(config.metrics).toBe(true);
    expect(config.logFormat).toBe('text');
  });

  it('reads METRICS=off and LOG_FORMAT=json', () => {
    const config = loadConfig({ METRICS: 'off', LOG_FORMAT: 'json' });
    expect(config.metrics).toBe(false);
    expect(config.logFormat).toBe('json');
  });

  it('refuses other values, naming the variable', () => {
    expect(() => loadConfig({ METRICS: 'yes' })).toThrow(/METRICS=yes is invalid: expected on or off/);
    expect(() => loadConfig({ LOG_FORMAT: 'pretty' })).toThrow(/LOG_FORMAT=pretty is invalid: expected text or json/);
  });
});
