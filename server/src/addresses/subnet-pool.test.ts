import { describe, expect, it } from 'vitest';
import { capacityOf, firstFreeSubnet, formatCidr, overlaps, parseCidr, type Cidr } from './subnet-pool';

const cidr = (text: string): Cidr => {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`bad test CIDR ${text}`);
  return parsed;
};

describe('subnet pool', () => {
  it('parses and formats ranges, refusing malformed ones and ones with host bits', () => {
    expect(formatCidr(cidr('10.89.0.0/16'))).toBe('10.89.0.0/16');
    expect(parseCidr('10.89.0.1/16')).toBeNull();
    expect(parseCidr('10.89.0.0/33')).toBeNull();
    expect(parseCidr('10.300.0.0/16')).toBeNull();
    expect(parseCidr('fd00::/64')).toBeNull();
    expect(parseCidr('nonsense')).toBeNull();
  });

  it('tells overlapping ranges apart', () => {
    expect(overlaps(cidr('10.89.0.0/16'), cidr('10.89.3.64/26'))).toBe(true);
    expect(overlaps(cidr('10.89.0.0/26'), cidr('10.89.0.64/26'))).toBe(false);
    expect(overlaps(cidr('172.17.0.0/16'), cidr('10.89.0.0/16'))).toBe(false);
  });

  it('hands out the first free block, skipping used ones whatever their size', () => {
    const range = cidr('10.89.0.0/16');
    expect(formatCidr(firstFreeSubnet(range, 26, [])!)).toBe('10.89.0.0/26');
    expect(formatCidr(firstFreeSubnet(range, 26, [cidr('10.89.0.0/26')])!)).toBe('10.89.0.64/26');
    // A gap between two used blocks is reused.
    expect(formatCidr(firstFreeSubnet(range, 26, [cidr('10.89.0.0/26'), cidr('10.89.0.128/26')])!)).toBe('10.89.0.64/26');
    // A larger network inside the range (someone's /24) is stepped over as a whole.
    expect(formatCidr(firstFreeSubnet(range, 26, [cidr('10.89.0.0/24')])!)).toBe('10.89.1.0/26');
    // Networks outside the range do not matter.
    expect(formatCidr(firstFreeSubnet(range, 26, [cidr('172.17.0.0/16')])!)).toBe('10.89.0.0/26');
  });

  it('says when the range is full', () => {
    const range = cidr('10.89.0.0/24');
    expect(capacityOf(range, 26)).toBe(4);
    const used = ['10.89.0.0/26', '10.89.0.64/26', '10.89.0.128/26', '10.89.0.192/26'].map(cidr);
    expect(firstFreeSubnet(range, 26, used)).toBeNull();
    expect(firstFreeSubnet(range, 26, [cidr('10.0.0.0/8')])).toBeNull();
  });
});
