// A minimal W3C WebDriver client for driving the Readyroom binary through tauri-driver.
// Dependency-free on purpose: Node's fetch is enough, and nothing is downloaded at test time.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
const DRIVER_URL = `http://127.0.0.1:${process.env.E2E_DRIVER_PORT ?? 4444}`;

/**
 * Starts tauri-driver (which starts WebKitWebDriver) in its own process group, logging to
 * `logFile`. Returns a handle whose stop() ends the whole group, so no grandchild keeps
 * the test runner waiting.
 */
export async function startDriver(logFile, env = {}) {
  mkdirSync(dirname(logFile), { recursive: true });
  const log = openSync(logFile, 'a');
  const child = spawn('tauri-driver', ['--port', String(process.env.E2E_DRIVER_PORT ?? 4444)], {
    stdio: ['ignore', log, log],
    detached: true,
    env: { ...process.env, ...env },
  });
  const driver = {
    stop() {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    },
  };
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${DRIVER_URL}/status`);
      if (res.ok || res.status === 404 || res.status === 405) return driver;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  driver.stop();
  throw new Error(`tauri-driver did not start within 20 s (see ${logFile})`);
}

async function request(method, path, body) {
  if (process.env.E2E_TRACE) console.error(`[wd] ${method} ${path} ${body ? JSON.stringify(body).slice(0, 160) : ''}`);
  const res = await fetch(`${DRIVER_URL}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok || json?.value?.error) {
    const v = json?.value ?? {};
    const err = new Error(`${method} ${path}: ${v.error ?? res.status} ${v.message ?? ''}`.trim());
    err.webdriver = v.error;
    throw err;
  }
  return json.value;
}

export class Session {
  constructor(id) {
    this.id = id;
  }

  /** Launches the app binary with `args` in a new session. */
  static async start(application, args = []) {
    const value = await request('POST', '/session', {
      capabilities: { alwaysMatch: { browserName: 'wry', 'tauri:options': { application, args } } },
    });
    const s = new Session(value.sessionId);
    return s;
  }

  cmd(method, path, body) {
    return request(method, `/session/${this.id}${path}`, body);
  }

  /**
   * Accepts the confirm() the page shows, if the driver exposes one. WebKitWebDriver under
   * tauri-driver may answer page prompts itself (accepting them); the caller then checks the
   * outcome on screen either way.
   */
  async acceptPrompt(timeout = 1_000) {
    const deadline = Date.now() + timeout;
    while (Date.now() < deadline) {
      try {
        await this.cmd('POST', '/alert/accept', {});
        return;
      } catch {
        await sleep(100);
      }
    }
  }

  async quit() {
    await this.cmd('DELETE', '').catch(() => {});
  }

  async exec(script, ...args) {
    return this.cmd('POST', '/execute/sync', { script, args });
  }

  /** Polls `fn` until it returns a truthy value or the timeout passes. */
  async waitFor(what, fn, timeout = 10_000) {
    const deadline = Date.now() + timeout;
    let last;
    while (Date.now() < deadline) {
      try {
        const v = await fn();
        if (v) return v;
      } catch (e) {
        last = e;
      }
      await sleep(100);
    }
    throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
  }

  async find(css) {
    const v = await this.cmd('POST', '/element', { using: 'css selector', value: css });
    return v[ELEMENT];
  }

  async findAll(css) {
    const v = await this.cmd('POST', '/elements', { using: 'css selector', value: css });
    return v.map((e) => e[ELEMENT]);
  }

  /** The element a script returns (null when it returns none). */
  async pick(script, ...args) {
    const el = await this.exec(script, ...args);
    return el ? el[ELEMENT] : null;
  }

  waitForElement(css, timeout) {
    return this.waitFor(`element ${css}`, () => this.find(css), timeout);
  }

  /** The element whose visible text is exactly `text` (buttons, headings, cells). */
  async byText(css, text) {
    const el = await this.exec(
      `return [...document.querySelectorAll(arguments[0])].find((e) => e.textContent.trim() === arguments[1]) ?? null;`,
      css,
      text,
    );
    return el ? el[ELEMENT] : null;
  }

  waitForText(css, text, timeout) {
    return this.waitFor(`${css} with text "${text}"`, () => this.byText(css, text), timeout);
  }

  /** The form control labelled `label` (how a user and a screen reader find it). */
  async field(label) {
    const el = await this.waitFor(`field labelled "${label}"`, async () => {
      const found = await this.exec(
        `const l = [...document.querySelectorAll('label')].find((e) => e.textContent.trim() === arguments[0]);
         return l ? l.control : null;`,
        label,
      );
      return found;
    });
    return el[ELEMENT];
  }

  /** The message shown next to the field labelled `label`, or '' if none. */
  fieldError(label) {
    return this.exec(
      `const l = [...document.querySelectorAll('label')].find((e) => e.textContent.trim() === arguments[0]);
       const err = l && l.closest('.field') && l.closest('.field').querySelector('.field-error');
       return err ? err.textContent.trim() : '';`,
      label,
    );
  }

  /** Scrolls the element to the middle of its scroll container, as a user would before using it. */
  reveal(el) {
    return this.exec(`arguments[0].scrollIntoView({ block: 'center', inline: 'nearest' });`, {
      [ELEMENT]: el,
    });
  }

  async click(el) {
    await this.reveal(el);
    return this.cmd('POST', `/element/${el}/click`, {});
  }

  async clickText(css, text) {
    await this.click(await this.waitForText(css, text));
  }

  async type(el, text) {
    await this.reveal(el);
    await this.cmd('POST', `/element/${el}/clear`, {});
    await this.cmd('POST', `/element/${el}/value`, { text });
  }

  /** Picks `path` in the file input labelled `label` (WebDriver sends the path as keys). */
  async upload(ariaLabel, path) {
    const el = await this.waitForElement(`input[type="file"][aria-label="${ariaLabel}"]`);
    await this.cmd('POST', `/element/${el}/value`, { text: path });
  }

  async fill(label, text) {
    await this.type(await this.field(label), text);
  }

  /** Chooses the option with `value` in the select labelled `label`, as a user's pick would. */
  async select(label, value) {
    const el = await this.field(label);
    await this.reveal(el);
    const ok = await this.exec(
      `const s = arguments[0];
       if (![...s.options].some((o) => o.value === arguments[1])) return false;
       s.value = arguments[1];
       s.dispatchEvent(new Event('change', { bubbles: true }));
       return true;`,
      { [ELEMENT]: el },
      value,
    );
    if (!ok) throw new Error(`select "${label}" has no option ${value}`);
  }

  async value(label) {
    return this.cmd('GET', `/element/${await this.field(label)}/property/value`);
  }

  async checked(label) {
    return this.cmd('GET', `/element/${await this.field(label)}/property/checked`);
  }

  text(el) {
    return this.cmd('GET', `/element/${el}/text`);
  }

  /**
   * Captures the X display (the real window, title bar included) with ImageMagick.
   * WebKitWebDriver's own screenshot endpoint can wait forever for a paint.
   */
  async screenshot(file) {
    mkdirSync(dirname(file), { recursive: true });
    execFileSync('import', ['-window', 'root', file], { timeout: 15_000 });
  }
}
