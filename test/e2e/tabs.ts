/**
 * Browser tabs for the end-to-end tests, reused from one test to the next, and from one test file
 * to the next in a worker (whose browser they share: lifecycle.ts). Every test still opens the app
 * by navigating to it (a new document: new scripts, new WebGL context, new worker); only the tab —
 * its renderer process — is kept, as a learner opening lesson after lesson in one tab. A new tab
 * costs about a second more per opening on two slow cores (measured opening authorization at
 * 1280×800, session 37): 390 ms to make it, and the page's scripts parsed and compiled afresh in a
 * new process (the app ready 1,190 ms after navigating in a new tab, 655 in a kept one).
 *
 * `page.close()` on a tab from here parks it instead: its listeners, routes and granted
 * permissions removed, its media emulation reset, the app unloaded (about:blank), and the next
 * `newTab` of that browser takes it. A tab given init scripts, exposed functions or extra headers
 * of its own (which cannot be taken back) is closed for real.
 */
import type { Browser, Page } from 'playwright-core';

/**
 * Parked tabs, by browser (a test rarely has more than two pages open at once), and each kept tab's
 * own `close`. Held on the process, as the worker's browser is (lifecycle.ts): a test file with a
 * module graph of its own finds the tabs the files before it parked.
 */
const TABS = Symbol.for('mesh-sim.e2e.tabs');
const { parked, closeFor } = ((globalThis as { [TABS]?: { parked: WeakMap<Browser, Page[]>; closeFor: WeakMap<Page, Page['close']> } })[TABS] ??= {
  parked: new WeakMap(),
  closeFor: new WeakMap(),
});
const MAX_PARKED = 2;

/** Events a test listens to on its page; a parked tab drops their listeners. */
const EVENTS = [
  'console',
  'pageerror',
  'crash',
  'dialog',
  'request',
  'requestfailed',
  'requestfinished',
  'response',
  'download',
  'popup',
  'framenavigated',
  'load',
  'domcontentloaded',
  'worker',
  'filechooser',
] as const;

/** Watches for CSP violations in every document of the tab, as console errors (openApp collects them). */
function watchCsp(): void {
  document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
}

/** A tab of `browser` at `viewport`: a parked one if there is one, else a new one. */
export async function newTab(browser: Browser, viewport: { width: number; height: number }): Promise<Page> {
  const spare = parked.get(browser)?.pop();
  if (spare && !spare.isClosed()) {
    await spare.setViewportSize(viewport);
    return spare;
  }
  const page = await browser.newPage({ viewport });
  await page.addInitScript(watchCsp);
  keep(browser, page);
  return page;
}

/** Makes `page.close()` park the tab, unless the test gave it what cannot be taken back. */
function keep(browser: Browser, page: Page): void {
  const close = page.close.bind(page);
  closeFor.set(page, close);
  let tainted = false;
  for (const name of ['addInitScript', 'exposeFunction', 'exposeBinding', 'setExtraHTTPHeaders'] as const) {
    const original = (page[name] as (...args: unknown[]) => Promise<unknown>).bind(page);
    (page as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      tainted = true;
      return original(...args);
    };
  }
  page.close = async (options) => {
    const list = parked.get(browser) ?? [];
    if (tainted || list.length >= MAX_PARKED || page.isClosed() || !browser.isConnected()) return close(options);
    try {
      for (const event of EVENTS) page.removeAllListeners(event);
      await page.unrouteAll({ behavior: 'ignoreErrors' });
      // Its own context (browser.newPage): a permission a test granted (author.test: the clipboard) goes too.
      await page.context().unrouteAll({ behavior: 'ignoreErrors' });
      await page.context().clearPermissions();
      await page.emulateMedia({ media: null, colorScheme: null, reducedMotion: null, forcedColors: null });
      await page.mouse.move(0, 0);
      await page.goto('about:blank');
    } catch {
      return close(options);
    }
    parked.set(browser, [...list, page]);
  };
}

/**
 * Closes every tab of `browser` but the parked ones — what a test file left open (a test that
 * failed before its `page.close()`) — and every context that holds no parked tab.
 */
export async function closeUnparked(browser: Browser): Promise<void> {
  const open = new Set(parked.get(browser)?.filter((p) => !p.isClosed()));
  parked.set(browser, [...open]);
  for (const context of browser.contexts()) {
    const pages = context.pages();
    if (pages.some((p) => open.has(p))) {
      for (const p of pages) if (!open.has(p)) await (closeFor.get(p) ?? p.close.bind(p))();
    } else await context.close();
  }
}
