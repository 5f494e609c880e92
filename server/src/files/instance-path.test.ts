import { describe, expect, it } from 'vitest';
import { instancePath, splitPath } from './instance-path';
import { parseListing } from './listing';

describe('instancePath', () => {
  it('resolves relative paths against /root and normalises', () => {
    expect(instancePath('app/Dockerfile')).toBe('/root/app/Dockerfile');
    expect(instancePath('/root/a/../b/')).toBe('/root/b');
    expect(instancePath('../../../etc/hostname')).toBe('/etc/hostname');
    expect(instancePath('/')).toBe('/');
    expect(instancePath('-rf')).toBe('/root/-rf');
  });

  it('refuses empty paths, NUL bytes, and writing to / itself', () => {
    for (const bad of ['', '  ', 'a\0b', undefined, 42]) expect(() => instancePath(bad)).toThrow();
    expect(() => instancePath('/', { forWrite: true })).toThrow(/Cannot write to "\/"/);
    expect(() => instancePath('x'.repeat(5000))).toThrow(/longer than 4096/);
  });

  it('splits a path to write into its folder and name', () => {
    expect(splitPath('/root/dir/sub/file.txt')).toEqual({ dir: '/root/dir/sub', name: 'file.txt' });
  });
});

describe('parseListing', () => {
  it('reads NUL-separated find output, odd names included, folders first', () => {
    const output = 'f\t12\tb.txt\0d\t4096\tsrc\0l\t4\tlink\0f\t3\tname with\nnewline\0p\t0\tfifo\0';
    expect(parseListing(output)).toEqual([
      { name: 'src', type: 'dir', size: 4096 },
      { name: 'b.txt', type: 'file', size: 12 },
      { name: 'fifo', type: 'other', size: 0 },
      { name: 'link', type: 'symlink', size: 4 },
      { name: 'name with\nnewline', type: 'file', size: 3 },
    ]);
  });
});
