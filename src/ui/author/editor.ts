/**
 * The scenario editor: CodeMirror 6 with YAML highlighting, completion and hover docs read from
 * the scenario's JSON Schema ({@link SchemaDocs} along the path at the cursor), and the loader's
 * located problems shown inline (pushed with `setDiagnostics` once the worker has checked a
 * version of the text). Text only ever goes into the page as text.
 */
import { EditorView, basicSetup } from 'codemirror';
import { hoverTooltip, keymap, type Tooltip } from '@codemirror/view';
import { EditorState, type Text } from '@codemirror/state';
import { yaml } from '@codemirror/lang-yaml';
import { indentWithTab } from '@codemirror/commands';
import { autocompletion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { el } from '../dom.ts';
import { contextAt, keyAt } from './yamlPath.ts';
import type { SchemaDocs } from './schemaDocs.ts';

/** A problem as the loader locates it (1-based line and column). */
export interface LocatedProblem {
  line: number;
  column: number;
  message: string;
}

/** Where a located problem sits in the document: from its column to the end of its line's text. */
export function problemRange(doc: Text, p: LocatedProblem): { from: number; to: number } {
  const line = doc.line(Math.min(Math.max(1, p.line), doc.lines));
  const from = Math.min(line.from + Math.max(0, p.column - 1), line.to);
  const end = line.from + line.text.trimEnd().length;
  return { from, to: Math.max(end, Math.min(from + 1, doc.length)) };
}

function completions(docs: SchemaDocs) {
  return (context: CompletionContext): CompletionResult | null => {
    const text = context.state.doc.toString();
    const ctx = contextAt(text, context.pos);
    if (!ctx) return null;
    if (ctx.mode === 'key') {
      if (!ctx.prefix && !context.explicit) return null;
      const taken = new Set(ctx.siblings);
      const keys = docs.keysAt(ctx.path).filter((k) => !taken.has(k.key));
      if (!keys.length) return null;
      return {
        from: ctx.from,
        validFor: /^[\w./-]*$/,
        options: keys.map((k) => ({
          label: k.key,
          type: 'property',
          detail: k.unsupported ? 'not simulated' : k.type,
          apply: `${k.key}: `,
          // Required keys first, fields mesh-sim refuses last.
          boost: k.required ? 1 : k.unsupported ? -1 : 0,
          ...(k.description ? { info: k.description } : {}),
        })),
      };
    }
    const values = docs.valuesAt(ctx.path, ctx.key!);
    if (!values.length) return null;
    return {
      from: ctx.from,
      validFor: /^[\w./-]*$/,
      options: values.map((v) => ({ label: v.value, type: 'enum', ...(v.description ? { info: v.description } : {}) })),
    };
  };
}

function hoverDocs(docs: SchemaDocs) {
  return hoverTooltip((view, pos): Tooltip | null => {
    const text = view.state.doc.toString();
    const hit = keyAt(text, pos);
    if (!hit) return null;
    let title: string;
    let body: string;
    let type = '';
    if (hit.kindValue !== undefined) {
      const about = docs.kindDoc(hit.path, hit.kindValue);
      if (about === null) return null;
      title = hit.kindValue;
      body = about;
    } else {
      const doc = docs.keyDoc(hit.path, hit.key);
      if (!doc) return null;
      title = hit.key;
      body = doc.description;
      type = doc.type;
    }
    return {
      pos: hit.from,
      end: hit.to,
      above: true,
      create: () => ({
        dom: el(
          'div',
          { class: 'author-hover', role: 'tooltip' },
          el('strong', {}, title),
          type ? el('span', { class: 'author-hover-type' }, ` — ${type}`) : null,
          el('p', {}, body || 'No description yet.'),
        ),
      }),
    };
  });
}

/** The editor, mounted in `parent`, calling `changed` with the text after each edit. */
export class ScenarioEditor {
  readonly view: EditorView;

  constructor(parent: HTMLElement, text: string, docs: SchemaDocs, changed: (text: string) => void) {
    this.view = new EditorView({
      parent,
      state: EditorState.create({
        doc: text,
        extensions: [
          basicSetup,
          keymap.of([indentWithTab]),
          yaml(),
          lintGutter(),
          autocompletion({ override: [completions(docs)], activateOnTyping: true }),
          hoverDocs(docs),
          EditorView.contentAttributes.of({ 'aria-label': 'Scenario YAML' }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) changed(u.state.doc.toString());
          }),
        ],
      }),
    });
  }

  get text(): string {
    return this.view.state.doc.toString();
  }

  /** Replaces the whole text (a scenario picked to start from). */
  setText(text: string): void {
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text } });
  }

  /** Shows `problems` inline (an empty list clears them). */
  showProblems(problems: readonly LocatedProblem[]): void {
    const doc = this.view.state.doc;
    const diagnostics: Diagnostic[] = problems.map((p) => ({ ...problemRange(doc, p), severity: 'error', message: p.message, source: 'mesh-sim' }));
    this.view.dispatch(setDiagnostics(this.view.state, diagnostics));
  }

  /** Moves the cursor to a problem's place and focuses the editor. */
  reveal(p: LocatedProblem): void {
    const { from } = problemRange(this.view.state.doc, p);
    this.view.dispatch({ selection: { anchor: from }, scrollIntoView: true });
    this.view.focus();
  }
}
