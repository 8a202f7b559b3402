/** Breaking a caption into rows (no pixi here: the render tests run it headless). */
/**
 * `text` in rows of at most `max` characters, broken at spaces — and a word longer than a row
 * (a host's FQDN) after a dot, a slash or a colon — so that a caption stays narrow beside what it
 * is about instead of running across its neighbours (Linkerd's "Get + GetProfile
 * reviews.default.svc.cluster.local:80" ran ~450 px across productpage's card).
 */
export function wrapRows(text: string, max: number): string {
  if (text.length <= max) return text;
  const rows: string[] = [];
  let row = '';
  const push = (word: string): void => {
    if (!row) row = word;
    else if (row.length + 1 + word.length <= max) row += ` ${word}`;
    else {
      rows.push(row);
      row = word;
    }
  };
  for (let word of text.split(' ')) {
    while (word.length > max) {
      // The last break after a dot, slash or colon that leaves a row of `max` at most.
      let cut = -1;
      for (let i = max - 1; i > 0; i--)
        if ('./:'.includes(word[i]!)) {
          cut = i + 1;
          break;
        }
      if (cut < 0) break;
      push(word.slice(0, cut));
      word = word.slice(cut);
    }
    push(word);
  }
  if (row) rows.push(row);
  return rows.join('\n');
}
