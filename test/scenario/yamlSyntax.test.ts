import { describe, expect, it } from 'vitest';
import { problemLines } from './fixtures.ts';

const HEAD = 'id: demo\ntitle: Demo\nduration: 10s\nservices:\n  - name: web\n';
/** Problems for the scenario head plus `more`, without the file name. */
const lines = (more: string, file = 't.yaml'): string[] => problemLines(file, HEAD + more).map((l) => l.slice(file.length + 1));

describe('syntaxProblems, through the loader', () => {
  it('points at a bracket or quote that never closes where it opens, not where the parser gave up', () => {
    expect(lines('expect:\n  istio: { okRate: ">= 0.9"\nnarration: []\n')).toEqual(['7:10: YAML syntax error: this { is never closed with }']);
    expect(lines('narration:\n  - text: "Hello\n    at: 1s\n')).toEqual(['7:11: YAML syntax error: this " quote is never closed']);
  });

  it('asks for quotes around a comparison that YAML would read as block text', () => {
    expect(lines('expect:\n  istio: { okRate: > 0.9, retries: 0 }\n')).toEqual([
      '7:20: YAML syntax error: a value that starts with ">" must be in quotes: write "> 0.9"',
    ]);
    expect(lines('expect:\n  istio:\n    okRate: | 0.9 # high\n')).toEqual([
      '8:13: YAML syntax error: a value that starts with "|" must be in quotes: write "| 0.9"',
    ]);
    expect(lines('description: @home\n')).toEqual(['6:14: YAML syntax error: a value that starts with "@" must be in quotes: write "@home"']);
  });

  it('asks for quotes around a value holding ": "', () => {
    expect(lines('description: Retries: the sequel\n')).toEqual([
      '6:14: YAML syntax error: this value holds ": ", which YAML reads as another key; put the value in quotes',
    ]);
  });

  it("names the missing space after a key's colon or a list dash", () => {
    expect(lines('seed:7\nstartup: cold\n')).toEqual(['6:1: YAML syntax error: a key needs a space after its ":" (got "seed:7")']);
    expect(lines('  -name: api\n  - name: db\n')).toEqual(['6:3: YAML syntax error: a list item needs a space after "-"']);
  });

  it('says an indentation slip in plain words, one problem per line', () => {
    expect(lines('   replicas: 2\n')).toEqual(['6:4: YAML syntax error: this line is not lined up with the keys above it']);
    expect(lines('      replicas: 2\n')).toEqual([
      '5:11: YAML syntax error: this runs onto the next line; is that line indented too far, or is a ":" missing?',
    ]);
    expect(lines('\treplicas: 2\n')).toEqual(['6:1: YAML syntax error: tabs are not allowed as indentation; indent with spaces']);
  });

  it('asks for the comma between two values in a flow mapping', () => {
    expect(lines('expect: { istio: { okRate: ">= 0.9" retries: 0 } }\n')).toEqual(['6:37: YAML syntax error: a "," is missing before this']);
  });

  it("takes a JSON file's syntax error from JSON itself, where YAML's recovery would wander", () => {
    expect(problemLines('t.json', '{ "id": "demo" "title": "Demo" }')).toEqual(["t.json:1:16: JSON syntax error: expected ',' or '}' after property value"]);
    expect(problemLines('t.json', '{\n  "id": "demo",\n  ],\n  "title": "Demo"\n}\n')).toEqual([
      't.json:3:3: JSON syntax error: expected double-quoted property name',
    ]);
    expect(problemLines('t.json', '{\n  "id": "demo",\n  "services": [\n')).toEqual([
      't.json:3:15: JSON syntax error: the file ends before the JSON does; a closing } or ] is missing',
    ]);
  });

  it('counts lines and columns from the text, even where the YAML parser lost count while recovering', () => {
    // yaml's own LineCounter put the second problem on line 3, column 30, of the four-character line "  ],".
    const text = '{\n  "a": 1,\n  ],\n  "b": [{ "host": "x" }],\n  "c": 2\n}\n';
    const located = problemLines('t.yaml', text).map((l) => l.split(':').slice(1, 3).map(Number));
    const lengths = text.split('\n').map((l) => l.length);
    for (const [line, col] of located) expect(col).toBeLessThanOrEqual(lengths[line! - 1]! + 1);
    expect(located.map(([line]) => line)).toEqual([1, 3, 4, 5, 6]);
  });
});
