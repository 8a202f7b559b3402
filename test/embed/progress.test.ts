import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Player, runScenario } from '../../src/player/index.ts';
import { Progress } from '../../src/embed/progress.ts';
import { VERBS } from '../../src/embed/xapi.ts';
import type { EmbedEvent } from '../../src/embed/protocol.ts';

const BASE = 'https://sim.example.com/mesh-sim/';
const outcome = runScenario({ text: readFileSync('scenarios/hello-mesh.yaml', 'utf8'), file: 'scenarios/hello-mesh.yaml', mesh: 'istio' });
if (!outcome.ok) throw new Error('hello-mesh does not run');
const trace = outcome.trace;

function opened(at = (p: Player) => p.restart()) {
  const events: EmbedEvent[] = [];
  let clock = 1000;
  const progress = new Progress(
    (e) => events.push(e),
    BASE,
    () => clock,
  );
  const player = new Player(trace);
  at(player);
  progress.opened(player, 'istio', ['istio']);
  return {
    events,
    progress,
    player,
    tick: (ms: number) => (clock += ms),
    of: <T extends EmbedEvent['type']>(type: T) => events.filter((e): e is Extract<EmbedEvent, { type: T }> => e.type === type),
  };
}

describe(Progress, () => {
  it('announces the run with where it opens', () => {
    const { events, player } = opened((p) => p.seekStep(4));
    expect(events).toEqual([
      {
        type: 'ready',
        scenario: 'hello-mesh',
        title: trace.scenario.title,
        mesh: 'istio',
        meshes: ['istio'],
        steps: player.steps.length,
        durationMs: trace.durationMs,
        index: 5,
        t: player.timeMs,
      },
    ]);
  });

  describe('when the learner steps', () => {
    it('tells each step once, counted as the transport bar counts, with an "experienced" statement', () => {
      const { progress, player, of } = opened();
      progress.observe();
      expect(of('step')).toEqual([]);
      player.stepForward();
      progress.observe();
      progress.observe();
      player.stepForward();
      progress.observe();
      const steps = of('step');
      expect(steps.map((s) => s.index)).toEqual([1, 2]);
      expect(steps[1]).toMatchObject({ of: player.steps.length, t: player.timeMs, text: player.steps[1]!.text });
      expect(steps[1]!.statement).toMatchObject({
        actor: { objectType: 'Agent', account: { homePage: BASE, name: 'anonymous' } },
        verb: { id: VERBS.experienced, display: { 'en-US': 'experienced' } },
        object: {
          objectType: 'Activity',
          id: `${BASE}scenarios/hello-mesh/steps/2`,
          definition: { name: { 'en-US': `Step 2 of ${player.steps.length}` }, type: 'http://id.tincanapi.com/activitytype/step' },
        },
        result: { extensions: { [`${BASE}xapi/simulated-ms`]: player.timeMs } },
        context: {
          platform: 'mesh-sim',
          contextActivities: { parent: [{ id: `${BASE}scenarios/hello-mesh` }] },
          extensions: { [`${BASE}xapi/mesh`]: 'istio' },
        },
      });
      expect(Date.parse(steps[1]!.statement.timestamp)).not.toBeNaN();
    });

    it('tells a jump of many steps (playing fast, seeking) as one step event', () => {
      const { progress, player, of } = opened();
      player.seekStep(9);
      progress.observe();
      expect(of('step').map((s) => s.index)).toEqual([10]);
    });
  });

  it('tells each narration line as it becomes current', () => {
    const { progress, player, of } = opened();
    const line = player.steps.findIndex((s) => s.kind === 'narration');
    player.seekStep(line);
    progress.observe();
    progress.observe();
    const text = player.view().narration!.text;
    expect(player.view().narration!.seq).toBe(player.steps[line]!.seq);
    expect(of('narration')).toEqual([{ type: 'narration', t: player.timeMs, text }]);
  });

  it('tells "completed" once, at the last step, with the real time it took', () => {
    const { progress, player, of, tick } = opened();
    player.seekStep(player.steps.length - 2);
    progress.observe();
    expect(of('completed')).toEqual([]);
    tick(12_340);
    player.stepForward();
    progress.observe();
    player.restart();
    progress.observe();
    player.seekStep(player.steps.length - 1);
    progress.observe();
    const done = of('completed');
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ scenario: 'hello-mesh', mesh: 'istio', meshes: ['istio'] });
    expect(done[0]!.statement).toMatchObject({
      verb: { id: VERBS.completed },
      object: { id: `${BASE}scenarios/hello-mesh`, definition: { type: 'http://adlnet.gov/expapi/activities/simulation' } },
      result: { completion: true, duration: 'PT12.34S' },
    });
  });

  it('tells a checkpoint answer with an "answered" statement', () => {
    const { progress, of } = opened();
    progress.checkpoint({ index: 0, question: 'Will productpage see any 503?', answer: 'no', correct: true });
    expect(of('checkpoint')).toEqual([expect.objectContaining({ index: 0, question: 'Will productpage see any 503?', answer: 'no', correct: true })]);
    expect(of('checkpoint')[0]!.statement).toMatchObject({
      verb: { id: VERBS.answered },
      object: { id: `${BASE}scenarios/hello-mesh/checkpoints/0`, definition: { name: { 'en-US': 'Will productpage see any 503?' }, interactionType: 'other' } },
      result: { response: 'no', success: true },
    });
  });

  it("names compare mode's panes in ready, completed and the statements", () => {
    const events: EmbedEvent[] = [];
    const player = new Player([trace, trace, trace]);
    const progress = new Progress(
      (e) => events.push(e),
      BASE,
      () => 0,
    );
    progress.opened(player, 'compare', ['istio', 'linkerd', 'istio']);
    expect(events[0]).toMatchObject({ type: 'ready', mesh: 'compare', meshes: ['istio', 'linkerd', 'istio'], steps: player.steps.length });
    expect(player.steps.length).toBe(3 * new Player(trace).steps.length);
    player.seekStep(player.steps.length - 1);
    progress.observe();
    const done = events.filter((e) => e.type === 'completed');
    expect(done).toEqual([expect.objectContaining({ mesh: 'compare', meshes: ['istio', 'linkerd', 'istio'] })]);
    expect(events.find((e) => e.type === 'step')).toMatchObject({
      statement: { context: { extensions: { [`${BASE}xapi/mesh`]: 'compare', [`${BASE}xapi/meshes`]: 'istio,linkerd,istio' } } },
    });
  });

  it('stays quiet about a player it was not told about', () => {
    const { progress, player, events } = opened();
    const count = events.length;
    player.replaceTrace({ ...trace });
    player.seekStep(3);
    progress.observe();
    expect(events).toHaveLength(count);
  });
});
