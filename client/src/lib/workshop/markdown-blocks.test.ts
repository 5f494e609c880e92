import { describe, expect, it } from 'vitest';
import { fillPlaceholders, markdownBlocks, parseInfo } from './markdown-blocks';

describe('markdownBlocks', () => {
  it('splits Markdown into HTML and code blocks, runnable ones marked', () => {
    const blocks = markdownBlocks('# Title\n\nSome **text**.\n\n```sh run\ndocker ps\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```sh run node2\nls\n```\n\n```yaml\nx: 1\n```\n');
    expect(blocks[0]).toMatchObject({ kind: 'html' });
    expect((blocks[0] as { html: string }).html).toContain('<h1>Title</h1>');
    expect((blocks[0] as { html: string }).html).toContain('<strong>text</strong>');
    expect(blocks[1]).toEqual({ kind: 'code', code: 'docker ps', language: 'sh', runnable: true, instance: undefined });
    expect((blocks[2] as { html: string }).html).toContain('<table>');
    expect(blocks[3]).toEqual({ kind: 'code', code: 'ls', language: 'sh', runnable: true, instance: 'node2' });
    expect(blocks[4]).toEqual({ kind: 'code', code: 'x: 1', language: 'yaml', runnable: false, instance: undefined });
  });

  it('shows raw HTML as text and neutralises script links', () => {
    const html = (markdownBlocks('Hi <script>alert(1)</script> [x](javascript:alert(1))')[0] as { html: string }).html;
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('href="#"');
  });
});

describe('parseInfo', () => {
  it('reads language, run and the instance', () => {
    expect(parseInfo('sh run node3')).toEqual({ language: 'sh', runnable: true, instance: 'node3' });
    expect(parseInfo('bash')).toEqual({ language: 'bash', runnable: false, instance: undefined });
    expect(parseInfo(undefined)).toEqual({ language: '', runnable: false, instance: undefined });
    expect(parseInfo('sh run ../x')).toEqual({ language: 'sh', runnable: true, instance: undefined });
  });
});

describe('fillPlaceholders', () => {
  it('puts the session values in, and leaves unknown names as written', () => {
    expect(fillPlaceholders("docker login {{registry.host}} -u {{ registry.user }} -p '{{registry.password}}' {{other}}", {
      'registry.host': 'registry:5000',
      'registry.user': 'student',
      'registry.password': 'pw',
    })).toBe("docker login registry:5000 -u student -p 'pw' {{other}}");
  });
});
