/**
 * Placeholder page until the browser app lands: lists the library scenarios with the run summary
 * of each under both meshes. Scenario text is shown as text (textContent), never as HTML.
 */
import { parseScenario, formatProblem } from '../scenario/index.ts';
import { simulate, PROFILES } from '../mesh/index.ts';

const files = import.meta.glob('/scenarios/*.yaml', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
const root = document.getElementById('app')!;
root.replaceChildren();
const h1 = document.createElement('h1');
h1.textContent = 'mesh-sim scenarios';
root.append(h1);
for (const [path, text] of Object.entries(files).sort()) {
  const section = document.createElement('section');
  const r = parseScenario(text, path.slice(1));
  const h2 = document.createElement('h2');
  if (!r.ok) {
    h2.textContent = path;
    const pre = document.createElement('pre');
    pre.textContent = r.problems.map(formatProblem).join('\n');
    section.append(h2, pre);
  } else {
    h2.textContent = r.scenario.title;
    const ul = document.createElement('ul');
    for (const profile of Object.values(PROFILES)) {
      const { report } = simulate(r.scenario, profile);
      const li = document.createElement('li');
      const s = report.summary;
      li.textContent = `${profile.name}: ${s.ok}/${s.total} ok, ${s.retries} retries, p99 ${s.latencyMs.p99} ms`;
      ul.append(li);
    }
    section.append(h2, ul);
  }
  root.append(section);
}
