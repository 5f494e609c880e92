import { describe, expect, it } from 'vitest';
import {
  defaultSandboxLimits,
  parseCpus,
  parseMemory,
  parsePids,
  SANDBOX_LIMIT_DEFAULTS,
} from './sandbox-limits';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

describe('parseMemory', () => {
  it('reads binary units like docker --memory', () => {
    expect(parseMemory('2g')).toBe(2 * GiB);
    expect(parseMemory('2G')).toBe(2 * GiB);
    expect(parseMemory('512m')).toBe(512 * MiB);
    expect(parseMemory('512MiB')).toBe(512 * MiB);
    expect(parseMemory('512mb')).toBe(512 * MiB);
    expect(parseMemory('1.5g')).toBe(1.5 * GiB);
    expect(parseMemory('65536k')).toBe(64 * MiB);
    expect(parseMemory('1t')).toBe(1024 * GiB);
    expect(parseMemory(' 3g ')).toBe(3 * GiB);
  });

  it('reads a bare number as bytes, and 0 as no limit', () => {
    expect(parseMemory(String(256 * MiB))).toBe(256 * MiB);
    expect(parseMemory('0')).toBe(0);
    expect(parseMemory('0g')).toBe(0);
  });

  it('refuses what is not a size, or too little for nested Docker', () => {
    expect(() => parseMemory('')).toThrow(/not a memory size/);
    expect(() => parseMemory('lots')).toThrow(/not a memory size/);
    expect(() => parseMemory('-1g')).toThrow(/not a memory size/);
    expect(() => parseMemory('2x')).toThrow(/not a memory size/);
    expect(() => parseMemory('1g2')).toThrow(/not a memory size/);
    expect(() => parseMemory('32m')).toThrow(/at least 64m/);
    expect(() => parseMemory('1000')).toThrow(/at least 64m/);
  });
});

describe('parseCpus', () => {
  it('reads decimal CPU counts, 0 as no limit', () => {
    expect(parseCpus('1')).toBe(1);
    expect(parseCpus('0.5')).toBe(0.5);
    expect(parseCpus('2.25')).toBe(2.25);
    expect(parseCpus('0')).toBe(0);
  });

  it('refuses what is not a positive number, or too small', () => {
    expect(() => parseCpus('one')).toThrow(/not a number of CPUs/);
    expect(() => parseCpus('-1')).toThrow(/not a number of CPUs/);
    expect(() => parseCpus('1e3')).toThrow(/not a number of CPUs/);
    expect(() => parseCpus('')).toThrow(/not a number of CPUs/);
    expect(() => parseCpus('0.001')).toThrow(/at least 0.01/);
    expect(() => parseCpus('5000')).toThrow(/more CPUs/);
  });
});

describe('parsePids', () => {
  it('reads whole numbers, 0 as no limit', () => {
    expect(parsePids('1024')).toBe(1024);
    expect(parsePids('128')).toBe(128);
    expect(parsePids('0')).toBe(0);
  });

  it('refuses fractions, negatives and limits nested Docker cannot live with', () => {
    expect(() => parsePids('1.5')).toThrow(/whole number/);
    expect(() => parsePids('-1')).toThrow(/whole number/);
    expect(() => parsePids('many')).toThrow(/whole number/);
    expect(() => parsePids('50')).toThrow(/at least 128/);
  });
});

describe('defaults', () => {
  it('are 2 GiB, 1 CPU, 1024 processes, a 10 GiB disk', () => {
    expect(SANDBOX_LIMIT_DEFAULTS).toEqual({ memory: '2g', cpus: '1', pids: '1024', disk: '10g' });
    expect(defaultSandboxLimits()).toEqual({ memoryBytes: 2 * GiB, cpus: 1, pids: 1024 });
  });
});
