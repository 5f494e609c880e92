// Debian's Chromium and the flags this machine needs (see /work/shared/docs/host-facts.md): shared by
// the Playwright config and the benchmarks, which drive the same browser.
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
