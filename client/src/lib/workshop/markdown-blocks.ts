// A step's Markdown as blocks for the panel: code blocks become components (Copy, Run), the rest
// HTML from `marked`, with raw HTML in the Markdown shown as text (workshop text cannot inject markup).
import { marked, type Token, type Tokens } from 'marked';

export type Block = { kind: 'html'; html: string } | { kind: 'code'; code: string; language: string; runnable: boolean; instance?: string };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const renderer = new marked.Renderer();
renderer.html = ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text);
renderer.link = ({ href, text }: Tokens.Link) => {
  const safe = /^(https?:|\/|#)/i.test(href) ? href : '#';
  return `<a href="${escapeHtml(safe)}" target="_blank" rel="noopener noreferrer">${escapeHtml(text)}</a>`;
};
renderer.image = ({ href, text }: Tokens.Image) => {
  const safe = /^(https?:|\/|data:image\/)/i.test(href) ? href : '';
  return `<img src="${escapeHtml(safe)}" alt="${escapeHtml(text)}">`;
};

/**
 * The info string of a fenced block says whether it runs: ```sh run runs in the active terminal,
 * ```sh run node2 in node2's.
 */
export function parseInfo(lang: string | undefined): { language: string; runnable: boolean; instance?: string } {
  const [language = '', ...flags] = (lang ?? '').trim().split(/\s+/);
  const runnable = flags[0] === 'run';
  const instance = runnable && flags[1] && /^node[1-9]\d{0,2}$/.test(flags[1]) ? flags[1] : undefined;
  return { language, runnable, instance };
}

export function markdownBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const pending: Token[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const tokens = Object.assign(pending.splice(0), { links: {} }) as unknown as Parameters<typeof marked.parser>[0];
    const html = marked.parser(tokens, { renderer });
    if (html.trim()) blocks.push({ kind: 'html', html });
  };
  for (const token of marked.lexer(markdown)) {
    if (token.type === 'code') {
      flush();
      blocks.push({ kind: 'code', code: (token as Tokens.Code).text, ...parseInfo((token as Tokens.Code).lang) });
    } else if (token.type !== 'space') {
      pending.push(token);
    }
  }
  flush();
  return blocks;
}

/** Values a step's Markdown can use as {{registry.host}}, {{registry.user}}, {{registry.password}}. */
export function fillPlaceholders(markdown: string, values: Record<string, string>): string {
  return markdown.replace(/\{\{\s*([a-z.]+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole);
}
