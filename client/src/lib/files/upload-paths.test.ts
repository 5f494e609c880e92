import { describe, expect, it } from 'vitest';
import { formatBytes, languageFor, uploadPath } from './upload-paths';

describe('uploadPath', () => {
  it('joins the target folder and the relative path', () => {
    expect(uploadPath('/root', 'a.txt')).toBe('/root/a.txt');
    expect(uploadPath('/root/app/', 'src/main.py')).toBe('/root/app/src/main.py');
    expect(uploadPath('', 'a.txt')).toBe('/root/a.txt');
    expect(uploadPath('/', 'a.txt')).toBe('/a.txt');
  });

  it('drops segments that would climb out', () => {
    expect(uploadPath('/root/app', '../../etc/passwd')).toBe('/root/app/etc/passwd');
    expect(uploadPath('/root', './x//y')).toBe('/root/x/y');
    expect(() => uploadPath('/root', '../')).toThrow(/needs a name/);
  });
});

describe('formatBytes and languageFor', () => {
  it('formats sizes', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1500)).toBe('1.5 kB');
    expect(formatBytes(12_345_678)).toBe('12.3 MB');
  });

  it('knows languages by file name', () => {
    expect(languageFor('Dockerfile')).toBe('dockerfile');
    expect(languageFor('compose.yaml')).toBe('yaml');
    expect(languageFor('package.json')).toBe('json');
    expect(languageFor('run.sh')).toBe('shell');
    expect(languageFor('app.py')).toBe('python');
    expect(languageFor('README.md')).toBe('markdown');
    expect(languageFor('notes.txt')).toBe('plain');
  });
});
