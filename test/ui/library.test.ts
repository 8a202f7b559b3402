import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { COURSE, LIBRARY, pickerTitle, plainTitle } from '../../src/ui/library.ts';
import { loadScenario } from '../../src/player/index.ts';

describe('scenario library order', () => {
  it('places every scenario in scenarios/ in the course order, and names none that is gone', () => {
    const files = readdirSync('scenarios')
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.replace(/\.yaml$/, ''));
    expect([...COURSE].sort()).toEqual(files.sort());
  });

  it('lists the library in that order, starting with hello-mesh', () => {
    expect(LIBRARY.map((s) => s.key)).toEqual(COURSE);
  });
});

describe('the picker', () => {
  it('names each library scenario by the title a parse reads, without parsing it', () => {
    for (const s of LIBRARY) {
      const loaded = loadScenario(s.text, s.file);
      expect(loaded.ok, s.file).toBe(true);
      expect(plainTitle(s.text), s.file).toBe(loaded.ok ? loaded.scenario.title : null);
      expect(pickerTitle(s)).toBe(plainTitle(s.text));
    }
  });

  it('leaves a title only a parse reads right to the parse', () => {
    const title = (text: string): string => pickerTitle({ key: 'k', file: 'k.yaml', text: `id: k\n${text}\nduration: 1s\nservices:\n  - name: a\n` });
    expect(title('title: Retries # hide a pod')).toBe('Retries');
    expect(title('title: "Retries: quoted"')).toBe('Retries: quoted');
    expect(title("title: 'It''s quoted'")).toBe("It's quoted");
    expect(title('title: >-\n  Folded\n  title')).toBe('Folded title');
    expect(title('title: One line\n  continued')).toBe('One line continued');
    expect(title('title: Plain, with — dashes and a question?  ')).toBe('Plain, with — dashes and a question?');
    expect(title('title: [broken')).toBe('k (has problems)');
    for (const t of ['title: "q"', 'title: >', 'title: 42', 'title: true', 'title: a: b', 'title: x #c', 'title: ', 'title: A\n  b'])
      expect(plainTitle(`${t}\nid: k\n`), t).toBeNull();
    expect(plainTitle('id: k\ntitle: Plain\r\nduration: 1s\r\n')).toBe('Plain');
  });
});
