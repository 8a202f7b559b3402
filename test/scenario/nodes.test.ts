/** The scenario's `nodes:` key: a count or a list of named nodes with pinned pods, every mistake located. */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/index.ts';
import { problemLines } from './fixtures.ts';

const BASE = `id: nodes
title: Nodes
duration: 10s
services:
  - name: web
  - name: reviews
    replicas: 2
`;
const lines = (more: string): string[] => problemLines('nodes.yaml', BASE + more);

describe('nodes', () => {
  it('takes a count or a list of named nodes, and is optional', () => {
    for (const more of ['', 'nodes: 3\n', 'nodes:\n  - name: node-a\n    pods: [web-0]\n  - name: node-b\n']) {
      const r = parseScenario(BASE + more, 'nodes.yaml');
      expect(r.ok, more).toBe(true);
    }
    const r = parseScenario(BASE + 'nodes:\n  - name: node-a\n    pods: [web-0]\n', 'nodes.yaml');
    expect(r.ok && r.scenario.nodes).toEqual([{ name: 'node-a', pods: ['web-0'] }]);
  });

  it('names the pod a node lists that the scenario does not declare, with a guess', () => {
    expect(lines('nodes:\n  - name: node-a\n    pods: [web-0, reviews-5, wbe-0]\n')).toEqual([
      'nodes.yaml:10:19: nodes[0].pods[1] names pod "reviews-5" that the scenario does not declare (did you mean "reviews-0"?)',
      'nodes.yaml:10:30: nodes[0].pods[2] names pod "wbe-0" that the scenario does not declare (did you mean "web-0"?)',
    ]);
  });

  it('refuses a pod on two nodes and a node declared twice, pointing at the first', () => {
    expect(lines('nodes:\n  - name: node-a\n    pods: [web-0]\n  - name: node-a\n    pods: [web-0]\n')).toEqual([
      'nodes.yaml:11:11: nodes[1].name declares node "node-a" a second time (first declared on line 9)',
      'nodes.yaml:12:12: nodes[1].pods[0] puts pod "web-0" on a second node: a pod runs on one node (first placed on line 10)',
    ]);
  });

  it('says what it takes when it gets something else', () => {
    expect(lines('nodes: many\n')).toEqual([
      'nodes.yaml:8:8: nodes must be a number of nodes (1 to 20) or a list like [{ name: node-1, pods: [reviews-0] }] (got "many")',
    ]);
    expect(lines('nodes: 0\n')).toEqual(['nodes.yaml:8:8: nodes must be a whole number from 1 to 20 (got 0)']);
    expect(lines('nodes:\n  - name: Node_A\n    podz: []\n')).toEqual([
      'nodes.yaml:9:11: nodes[0].name must be a lowercase name like "reviews" (letters, digits, dashes; got "Node_A")',
      'nodes.yaml:10:5: nodes[0].podz is an unknown key (did you mean "pods"?)',
    ]);
  });
});
