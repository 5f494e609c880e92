import { describe, expect, it } from 'vitest';
import { parseMetadata, parseStep, stepFiles, WorkshopFormatError } from './workshop-format';

describe('parseMetadata', () => {
  it('reads title, description, instances and images, with defaults', () => {
    expect(parseMetadata('docker-101', '{"title":"Docker 101","instances":2,"images":["busybox"]}')).toEqual({
      name: 'docker-101',
      title: 'Docker 101',
      description: '',
      instances: 2,
      images: ['busybox'],
      setup: undefined,
    });
  });

  it('names the file and field at fault', () => {
    expect(() => parseMetadata('x', '{nope')).toThrow(/x\/workshop.json: not valid JSON/);
    expect(() => parseMetadata('x', '{}')).toThrow(/"title" is required/);
    expect(() => parseMetadata('x', '{"title":"t","instances":9}')).toThrow(/"instances" must be 1 to 5/);
    expect(() => parseMetadata('x', '{"title":"t","images":"busybox"}')).toThrow(/"images" must be a list/);
    expect(() => parseMetadata('../x', '{"title":"t"}')).toThrow(WorkshopFormatError);
  });
});

describe('parseStep', () => {
  it('reads the front matter, block values included, and keeps the Markdown', () => {
    const step = parseStep('02-run.md', 2, '---\ntitle: Run a container\ninstance: node2\ncheck: |\n  docker ps -q --filter name=web | grep -q .\n  echo ok\n---\n\n# Run\n\n```sh run\ndocker run -d --name web nginx\n```\n');
    expect(step).toEqual({
      number: 2,
      file: '02-run.md',
      title: 'Run a container',
      markdown: '# Run\n\n```sh run\ndocker run -d --name web nginx\n```',
      check: 'docker ps -q --filter name=web | grep -q .\necho ok',
      setup: undefined,
      instance: 'node2',
    });
  });

  it('reads a hint and a solution, Markdown kept as written; a step without them has neither', () => {
    const step = parseStep('01-run.md', 1, '---\ntitle: Run\nhint: Look at `docker run --help`.\nsolution: |\n  Run it detached:\n\n  ```sh run\n  docker run -d --name web nginx\n  ```\n---\nText\n');
    expect(step.hint).toBe('Look at `docker run --help`.');
    expect(step.solution).toBe('Run it detached:\n\n```sh run\ndocker run -d --name web nginx\n```');
    const plain = parseStep('02-list.md', 2, '---\ntitle: List\n---\nText\n');
    expect('hint' in plain || 'solution' in plain).toBe(false);
  });

  it('refuses steps without front matter, title, or with unknown keys', () => {
    expect(() => parseStep('a.md', 1, '# no front matter')).toThrow(/must start with a front-matter block/);
    expect(() => parseStep('a.md', 1, '---\ntitle: t\n')).toThrow(/no closing/);
    expect(() => parseStep('a.md', 1, '---\ncheck: true\n---\n')).toThrow(/"title" is required/);
    expect(() => parseStep('a.md', 1, '---\ntitle: t\ncolour: red\n---\n')).toThrow(/unknown front-matter key "colour"/);
    expect(() => parseStep('a.md', 1, '---\ntitle: t\ninstance: ../x\n---\n')).toThrow(/"instance" must be/);
  });
});

describe('stepFiles', () => {
  it('orders Markdown step files by name', () => {
    expect(stepFiles(['10-b.md', 'workshop.json', '02-a.md', 'README.md', 'img.png'])).toEqual(['02-a.md', '10-b.md']);
  });
});
