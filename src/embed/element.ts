/**
 * `<mesh-sim scenario="retries-flaky-pod" mesh="compare" controls="minimal">`: the simulator as
 * a custom element, built as `mesh-sim.js` beside the static site. It is the loader: until the
 * learner presses Play it shows a poster (a drawing or `poster="..."`) and costs a few KB; then
 * it loads the embed page in an iframe inside its shadow root.
 *
 * Why an iframe rather than the app mounted in the shadow root: the simulator keeps its own
 * origin, CSP, globals (pixi.js, a Web Worker, keyboard shortcuts) and styles, so neither page
 * can break the other; several elements on one page are independent; the host page needs no
 * `unsafe-eval` or worker permissions; and the element speaks to it through the same checked
 * postMessage protocol as any other host, so there is one interface to secure and document.
 *
 * Attributes: scenario, scenario-url, mesh, with (compare mode's panes: `mesh="compare"
 * with="istio,linkerd,istio"`), controls, narration, guided, theme, step, t, seed, autoplay (passed to
 * the embed page, which checks them), src (the simulator's page; default: index.html
 * beside this script, always opened with embed=1), poster (an image URL), label (the poster's title), loading="eager"
 * (load at once, no poster). Methods: play(), pause(), step(index?), seek(t), setMesh(mesh, with?),
 * loadScenario({ id } | { url }). Events (CustomEvent, detail = the message): ready, step,
 * narration, checkpoint, completed, resize, error.
 */
import { posterDrawing } from './poster.ts';

const SOURCE = 'mesh-sim';
const VERSION = 1;
const EVENTS = ['ready', 'step', 'narration', 'checkpoint', 'completed', 'resize', 'error'];
/** Attributes handed to the embed page as URL parameters. */
const PASSED: Record<string, string> = {
  scenario: 'scenario',
  'scenario-url': 'scenarioUrl',
  mesh: 'mesh',
  with: 'with',
  istio: 'istio',
  linkerd: 'linkerd',
  consul: 'consul',
  osm: 'osm',
  controls: 'controls',
  narration: 'narration',
  guided: 'guided',
  theme: 'theme',
  step: 'step',
  t: 't',
  seed: 'seed',
  autoplay: 'autoplay',
};
// Built, this script sits beside index.html; under `vite` (dev) it is served from src/embed/.
// A variable, not a literal: vite would otherwise resolve the page as an asset of this file.
const PAGE = import.meta.url.endsWith('.ts') ? '/index.html' : 'index.html';

const CSS = `
:host { display: block; position: relative; font-family: system-ui, 'DejaVu Sans', sans-serif; }
:host([hidden]) { display: none; }
.poster { position: relative; aspect-ratio: 16 / 9; min-height: 160px; border: 1px solid #d4d2cb; border-radius: 8px; overflow: hidden; background: #f6f5f0; }
.poster svg, .poster img { position: absolute; inset: 0; width: 100%; height: 100%; object-fit: cover; }
.label { position: absolute; left: 12px; right: 12px; top: 10px; margin: 0; font-size: 15px; font-weight: 600; color: #1e1e1e; text-shadow: 0 0 3px #fff; }
.play { position: absolute; left: 50%; top: 50%; transform: translate(-50%, -50%); display: inline-flex; align-items: center; gap: 8px; padding: 10px 20px; font: inherit; font-size: 17px; font-weight: 600; color: #fff; background: #0072b2; border: 0; border-radius: 24px; cursor: pointer; box-shadow: 0 2px 8px rgba(0, 0, 0, 0.25); }
.play:hover { background: #005a8c; }
.play:focus-visible { outline: 3px solid #e69f00; outline-offset: 2px; }
.play svg { width: 16px; height: 16px; position: static; }
iframe { display: block; width: 100%; border: 0; }
`;

let sheet: CSSStyleSheet | null = null;

type Message = { source: string; version: number; type: string; [key: string]: unknown };

/** The `<mesh-sim>` element (see the top of this file). */
export class MeshSimElement extends HTMLElement {
  static observedAttributes = [...Object.keys(PASSED), 'src', 'poster', 'label', 'loading'];
  private readonly shadow: ShadowRoot;
  private frame: HTMLIFrameElement | null = null;
  private origin = '';
  private ready = false;
  private queue: Message[] = [];
  private readonly onMessage = (e: MessageEvent): void => this.receive(e);

  constructor() {
    super();
    this.shadow = this.attachShadow({ mode: 'open' });
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
    }
    // Constructed style sheets are not inline styles: a strict style-src on the host page allows them.
    this.shadow.adoptedStyleSheets = [sheet];
  }

  connectedCallback(): void {
    window.addEventListener('message', this.onMessage);
    if (this.frame) return;
    if (this.getAttribute('loading') === 'eager') this.load(false);
    else this.showPoster();
  }

  disconnectedCallback(): void {
    window.removeEventListener('message', this.onMessage);
  }

  attributeChangedCallback(name: string, before: string | null, after: string | null): void {
    if (before === after || !this.isConnected) return;
    if (!this.frame) return void (name === 'loading' && after === 'eager' ? this.load(false) : this.showPoster());
    // Scenario and mesh change through the protocol (no reload); anything else reloads the frame.
    if ((name === 'mesh' || name === 'with') && this.getAttribute('mesh')) this.setMesh(this.getAttribute('mesh')!, this.panes);
    else if (name === 'scenario' && after) this.send({ type: 'loadScenario', id: after });
    else if (name === 'scenario-url' && after) this.send({ type: 'loadScenario', url: after });
    else if (name !== 'poster' && name !== 'label' && name !== 'loading') this.load(this.getAttribute('autoplay') !== null);
  }

  /** Plays; before the simulator is loaded, loads it and plays. */
  play(): void {
    if (!this.frame) this.load(true);
    else this.send({ type: 'play' });
  }

  pause(): void {
    this.send({ type: 'pause' });
  }

  /** One step forward, or to step `index` (0 is the start, as the transport bar counts). */
  step(index?: number): void {
    this.send(index === undefined ? { type: 'step' } : { type: 'step', index });
  }

  /** To simulated time `t` (ms). */
  seek(t: number): void {
    this.send({ type: 'seek', t });
  }

  /** Switches the mesh; for `compare`, `panes` (2–6 mesh ids, the reference first) or the default two. */
  setMesh(mesh: string, panes?: readonly string[]): void {
    this.send({ type: 'setMesh', mesh, ...(panes ? { with: [...panes] } : {}) });
  }

  /** The `with` attribute as a list. */
  private get panes(): string[] | undefined {
    return this.getAttribute('with')
      ?.split(',')
      .map((s) => s.trim());
  }

  loadScenario(which: { id: string } | { url: string }): void {
    this.send({ type: 'loadScenario', ...which });
  }

  /** The embed page's URL for the current attributes. */
  get embedUrl(): string {
    const url = new URL(this.getAttribute('src') ?? PAGE, this.getAttribute('src') ? document.baseURI : import.meta.url);
    url.searchParams.set('embed', '1');
    for (const [attr, param] of Object.entries(PASSED)) {
      const v = this.getAttribute(attr);
      if (v !== null) url.searchParams.set(param, attr === 'autoplay' && v === '' ? '1' : v);
    }
    // The host page is the one allowed to talk to the frame (an opaque origin cannot be).
    if (location.origin !== 'null') url.searchParams.set('origins', location.origin);
    return url.href;
  }

  private get label(): string {
    const scenario = this.getAttribute('scenario');
    const named = scenario ? scenario.replace(/[-_]+/g, ' ').replace(/^./, (c) => c.toUpperCase()) : 'mesh-sim';
    return this.getAttribute('label') ?? named;
  }

  private showPoster(): void {
    const poster = document.createElement('div');
    poster.className = 'poster';
    poster.setAttribute('part', 'poster');
    const image = this.getAttribute('poster');
    if (image) {
      const img = document.createElement('img');
      img.src = image;
      img.alt = '';
      poster.append(img);
    } else poster.append(posterDrawing());
    const title = document.createElement('p');
    title.className = 'label';
    title.textContent = this.label;
    const play = document.createElement('button');
    play.type = 'button';
    play.className = 'play';
    play.setAttribute('part', 'play');
    play.setAttribute('aria-label', `Play the simulation: ${this.label}`);
    const icon = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    icon.setAttribute('viewBox', '0 0 16 16');
    icon.setAttribute('aria-hidden', 'true');
    const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
    path.setAttribute('d', 'M4 2.5v11L13.5 8z');
    path.setAttribute('fill', 'currentColor');
    icon.append(path);
    play.append(icon, document.createTextNode('Play'));
    play.addEventListener('click', () => this.load(true, true));
    poster.append(title, play);
    this.shadow.replaceChildren(poster);
  }

  /** Replaces the poster (or the frame) with the simulator; `autoplay` when the learner asked to play. */
  private load(autoplay: boolean, focus = false): void {
    const url = new URL(this.embedUrl);
    if (autoplay) url.searchParams.set('autoplay', '1');
    const height = this.shadow.firstElementChild?.getBoundingClientRect().height ?? 0;
    const frame = document.createElement('iframe');
    frame.title = `mesh-sim: ${this.label}`;
    frame.setAttribute('part', 'frame');
    frame.setAttribute('sandbox', 'allow-scripts allow-same-origin');
    frame.style.height = `${Math.max(320, Math.round(height))}px`;
    if (focus) frame.addEventListener('load', () => frame.focus(), { once: true });
    this.origin = url.origin;
    this.ready = false;
    frame.src = url.href;
    this.frame = frame;
    this.shadow.replaceChildren(frame);
  }

  private send(command: Record<string, unknown>): void {
    const m = { source: SOURCE, version: VERSION, ...command } as Message;
    if (this.frame?.contentWindow && this.ready) this.frame.contentWindow.postMessage(m, this.origin);
    else this.queue.push(m);
  }

  private receive(e: MessageEvent): void {
    const frame = this.frame;
    if (!frame || e.source !== frame.contentWindow || e.origin !== this.origin) return;
    const m = e.data as Message | null;
    if (typeof m !== 'object' || m === null || m.source !== SOURCE || m.version !== VERSION || !EVENTS.includes(m.type)) return;
    if (m.type === 'ready') {
      this.ready = true;
      const queued = this.queue;
      this.queue = [];
      for (const q of queued) frame.contentWindow?.postMessage(q, this.origin);
    }
    if (m.type === 'resize' && typeof m.height === 'number' && m.height > 0 && m.height < 100_000) frame.style.height = `${Math.ceil(m.height)}px`;
    this.dispatchEvent(new CustomEvent(m.type, { detail: m }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mesh-sim': MeshSimElement;
  }
}

if (!customElements.get('mesh-sim')) customElements.define('mesh-sim', MeshSimElement);
