// CodeMirror 6, loaded only when a file is opened (see EditorPanel.svelte), so the first page stays small.
import { defaultKeymap, indentWithTab } from '@codemirror/commands';
import { HighlightStyle, StreamLanguage, syntaxHighlighting } from '@codemirror/language';
import { dockerFile } from '@codemirror/legacy-modes/mode/dockerfile';
import { shell } from '@codemirror/legacy-modes/mode/shell';
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { basicSetup } from 'codemirror';
import type { EditorLanguage } from './upload-paths';

async function languageExtension(language: EditorLanguage): Promise<Extension> {
  switch (language) {
    case 'dockerfile':
      return StreamLanguage.define(dockerFile);
    case 'shell':
      return StreamLanguage.define(shell);
    case 'yaml':
      return (await import('@codemirror/lang-yaml')).yaml();
    case 'json':
      return (await import('@codemirror/lang-json')).json();
    case 'javascript':
      return (await import('@codemirror/lang-javascript')).javascript({ typescript: true });
    case 'python':
      return (await import('@codemirror/lang-python')).python();
    case 'markdown':
      return (await import('@codemirror/lang-markdown')).markdown();
    default:
      return [];
  }
}

/**
 * Colours from the page's theme (app.css, --syntax-*), so that both themes read at 4.5:1 or more:
 * CodeMirror's default style is made for a light page and falls to about 2:1 on the dark one.
 */
const themedHighlighting = HighlightStyle.define([
  { tag: [tags.keyword, tags.modifier, tags.operatorKeyword, tags.controlKeyword], color: 'var(--syntax-keyword)' },
  { tag: [tags.string, tags.special(tags.string), tags.regexp, tags.url], color: 'var(--syntax-string)' },
  { tag: [tags.comment, tags.lineComment, tags.blockComment, tags.meta], color: 'var(--syntax-comment)', fontStyle: 'italic' },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: 'var(--syntax-number)' },
  { tag: [tags.variableName, tags.special(tags.variableName), tags.propertyName, tags.attributeName], color: 'var(--syntax-variable)' },
  { tag: [tags.typeName, tags.className, tags.definition(tags.variableName), tags.function(tags.variableName), tags.labelName], color: 'var(--syntax-type)' },
  { tag: [tags.heading, tags.strong], fontWeight: 'bold', color: 'var(--syntax-keyword)' },
  { tag: tags.emphasis, fontStyle: 'italic' },
  { tag: tags.link, color: 'var(--syntax-string)', textDecoration: 'underline' },
  { tag: tags.invalid, color: 'var(--danger)' },
]);

/** The editor's frame in the page's colours (CodeMirror's own are fixed light or dark). */
const pageTheme = EditorView.theme({
  '&': { height: '100%', backgroundColor: 'var(--code-bg)', color: 'var(--text)' },
  '.cm-scroller': { fontFamily: 'var(--font-mono)' },
  '.cm-content': { caretColor: 'var(--text)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--text)' },
  '.cm-gutters': { backgroundColor: 'var(--panel-bg)', color: 'var(--header-muted)', borderRight: '1px solid var(--panel-border)' },
  '.cm-activeLine': { backgroundColor: 'var(--hover-bg)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--hover-bg)', color: 'var(--header-text)' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground': {
    backgroundColor: 'var(--selected-bg)',
  },
  '.cm-matchingBracket, &.cm-focused .cm-matchingBracket': { backgroundColor: 'var(--selected-bg)', outline: '1px solid var(--selected-border)' },
  '.cm-searchMatch': { backgroundColor: 'var(--warning-bg)', outline: '1px solid var(--warning)' },
  '.cm-panels': { backgroundColor: 'var(--panel-bg)', color: 'var(--header-text)' },
  '.cm-tooltip': { backgroundColor: 'var(--surface)', color: 'var(--text)', border: '1px solid var(--border)' },
});

export interface CodeEditor {
  text(): string;
  destroy(): void;
  focus(): void;
}

/** An editor in `parent`; onChange after every edit, onSave on Ctrl+S / Cmd+S. */
export async function createCodeEditor(
  parent: HTMLElement,
  text: string,
  language: EditorLanguage,
  handlers: { onChange: () => void; onSave: () => void },
): Promise<CodeEditor> {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        basicSetup,
        keymap.of([{ key: 'Mod-s', preventDefault: true, run: () => (handlers.onSave(), true) }, indentWithTab, ...defaultKeymap]),
        await languageExtension(language),
        syntaxHighlighting(themedHighlighting),
        pageTheme,
        EditorView.updateListener.of((update) => {
          if (update.docChanged) handlers.onChange();
        }),
      ],
    }),
  });
  return {
    text: () => view.state.doc.toString(),
    destroy: () => view.destroy(),
    focus: () => view.focus(),
  };
}
