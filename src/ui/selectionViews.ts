/**
 * What the inspector shows for a selected node or link (inspector.ts): loaded, with nodeFacts.ts,
 * the first time the learner selects one — a first play selects nothing (browser.firstPlayKB).
 */
import { statePhrase, type ComponentState, type FlightEvent, type NodeId, type Trace, type View } from '../player/index.ts';
import { el } from './dom.ts';
import { deliveredCertificates, linkRows, nodeFacts } from './nodeFacts.ts';

/** What the inspector lends a view: its trace, how it draws a machine and a table, the machine chosen. */
export interface SelectionContext {
  readonly trace: Trace;
  machine(c: ComponentState): HTMLElement;
  table(rows: [string, string | Node][]): HTMLElement;
  /** The component whose statechart is shown, if the learner picked one. */
  readonly chosenEntity: string | null;
  /** The learner picked another machine: shown at once. */
  choose(entity: string): void;
}

/** A selection's panel: its title and what goes under it. */
export interface SelectionView {
  title: string;
  parts: Node[];
}

const labelOf = (trace: Trace, id: string): string => trace.topology.nodes.find((n) => n.id === id)?.label ?? id;

/** A link between two nodes: its traffic over the last second, the endpoint's health as its caller sees it, the connections on it. */
export function linkView(ctx: SelectionContext, from: NodeId, to: NodeId, view: View): SelectionView {
  const e = view.edges.find((x) => x.from === from && x.to === to);
  const parts: Node[] = [ctx.table(linkRows(e))];
  const here = view.components.filter((c) => c.node === from && c.peer === to);
  const health = here.find((c) => c.machine === 'endpointHealth');
  if (health) parts.push(el('h3', {}, "The endpoint, as the caller's balancer sees it"), ctx.machine(health));
  const conns = here.filter((c) => c.machine === 'tlsConnection');
  if (conns.length)
    parts.push(
      el('h3', {}, 'Connections'),
      el('ul', { class: 'components' }, ...conns.map((c) => el('li', {}, `${c.entity}: ${statePhrase(c.machine, c.state, c.previous).long}`))),
    );
  return { title: `Link: ${labelOf(ctx.trace, from)} → ${labelOf(ctx.trace, to)}`, parts };
}

/** The certificates each proxy of a trace is sent, worked out once per trace. */
const certificates = new WeakMap<Trace, Map<NodeId, FlightEvent[]>>();

/** A node: its facts (nodeFacts.ts), then its machines' states with the chosen one's statechart. */
export function nodeView(ctx: SelectionContext, nodeId: NodeId, view: View): SelectionView {
  const trace = ctx.trace;
  let delivered = certificates.get(trace);
  if (!delivered) certificates.set(trace, (delivered = deliveredCertificates(trace.events)));
  const facts = nodeFacts(trace, nodeId, view.timeMs, delivered, view.components);
  const box = el('div', {});
  if (facts.rows.length) box.append(ctx.table(facts.rows));
  const components = view.components.filter((c) => facts.machineNodes.includes(c.node));
  if (components.length) {
    const chosen = components.find((c) => c.entity === ctx.chosenEntity) ?? components.find((c) => c.node === nodeId) ?? components[0]!;
    const list = el('ul', { class: 'components' });
    for (const c of components) {
      const b = el(
        'button',
        { type: 'button', 'aria-pressed': c === chosen ? 'true' : 'false', 'data-entity': c.entity },
        `${c.entity}: ${statePhrase(c.machine, c.state, c.previous).short}`,
      );
      b.addEventListener('click', () => ctx.choose(c.entity));
      list.append(el('li', {}, b));
    }
    box.append(el('h3', {}, 'Machine states'), list, ctx.machine(chosen));
  }
  return { title: facts.title, parts: [box] };
}
