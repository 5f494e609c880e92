// CodeMirror 6, loaded only when a file is opened (see EditorPanel.svelte), so the first page stays small.
import { defaultKeymap, indentWithTab } from '@codemirror/commands';
import { StreamLanguage } from '@codemirror/language';
import { dockerFile } from '@codemirror/legacy-modes/mode/dockerfile';
import { shell } from '@codemirror/legacy-modes/mode/shell';
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
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
        EditorView.theme({ '&': { height: '100%' }, '.cm-scroller': { fontFamily: 'var(--font-mono)' } }, { dark: true }),
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
