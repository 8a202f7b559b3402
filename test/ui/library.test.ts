import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { COURSE, LIBRARY } from '../../src/ui/library.ts';

describe('scenario library order', () => {
  it('places every scenario in scenarios/ in the course order, and names none that is gone', () => {
    const files = readdirSync('scenarios').filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''));
    expect([...COURSE].sort()).toEqual(files.sort());
  });

  it('lists the library in that order, starting with hello-mesh', () => {
    expect(LIBRARY.map((s) => s.key)).toEqual(COURSE);
  });
});
