/**
 * The linkerd-copy test mesh's names, and a library scenario rewritten for it — pure, so an
 * end-to-end test can build the file for a page without registering the mesh in its own process.
 */

export const COPY_ID = 'linkerd-copy';
export const COPY_SECTION = 'linkerdcopy';

/**
 * The file as written for the copy: its `linkerd:` sections (top level and in changes) become
 * `linkerdcopy:`, and the Linkerd expect block and narration lines name `linkerd-copy`. Line by
 * line, so every line stays where it was and every cause cites the same line.
 */
export function rewriteForCopy(text: string): string {
  let top = '';
  return text
    .split('\n')
    .map((line) => {
      const key = /^([a-z]+):/.exec(line);
      if (key) top = key[1]!;
      if (key && top === 'meshes') return line.replace(/\blinkerd\b(?!-)/g, COPY_ID);
      if (top === 'linkerd' && key) return line.replace(/^linkerd:/, `${COPY_SECTION}:`);
      if (top === 'changes') return line.replace(/^(\s+(?:- )?)linkerd:/, `$1${COPY_SECTION}:`);
      if (top === 'expect') return line.replace(/^(\s+)linkerd:/, `$1${COPY_ID}:`);
      if (top === 'narration') return line.replace(/^(\s+(?:- )?)mesh: linkerd\s*$/, `$1mesh: ${COPY_ID}`);
      return line;
    })
    .join('\n');
}
