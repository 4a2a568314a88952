// Screenshots of the screens touched by a change, at the widths the guide asks for
// (1024 and 1440 wide), for a person to look at. Not part of the suite:
//   xvfb-run -a -s "-screen 0 1600x1000x24" node tests/e2e/shots.mjs OUT_DIR
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Session, startDriver } from './webdriver.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const APP = process.env.E2E_APP ?? join(ROOT, 'target/debug/readyroom-app-e2e');
const CLI = process.env.E2E_CLI ?? join(ROOT, 'target/debug/readyroom');
const OUT = process.argv[2] ?? '/tmp/shots';
const cli = (...args) => execFileSync(CLI, args, { encoding: 'utf8' });
const SIZES = [
  [1024, 700],
  [1440, 900],
];

// SHOTS_ONLY=a,b takes only the shots named.
const ONLY = process.env.SHOTS_ONLY?.split(',');

async function shoot(name, db, steps) {
  if (ONLY && !ONLY.includes(name)) return;
  for (const [w, h] of SIZES) {
    const s = await Session.start(APP, ['--db', db]);
    try {
      await s.cmd('POST', '/window/rect', { x: 0, y: 0, width: w, height: h }).catch(() => {});
      await s.waitFor('the app', () => s.find('.shell, .problem, .welcome'), 20_000);
      await steps(s);
      await new Promise((r) => setTimeout(r, 400));
      const file = join(OUT, `${name}-${w}.png`);
      await s.screenshot(file);
      execFileSync('convert', [file, '-crop', `${w}x${h}+0+0`, '+repage', file]);
    } finally {
      await s.quit();
    }
  }
}

/** Scrolls the element matching `css` to the top of its scroll container. */
const top = (s, css) => s.exec(`document.querySelector(arguments[0])?.scrollIntoView({ block: 'start' })`, css);

// Open dialogs answer with the file put last in this folder (see app.test.mjs).
const OPEN_DIR = mkdtempSync(join(tmpdir(), 'rr-shots-open-'));
const offer = (name, write) => {
  for (const f of readdirSync(OPEN_DIR)) rmSync(join(OPEN_DIR, f), { recursive: true, force: true });
  write(join(OPEN_DIR, name));
};
const driver = await startDriver(join(OUT, 'driver.log'), { READYROOM_DB: '', READYROOM_NO_KEYCHAIN: '1', READYROOM_MULTI_INSTANCE: '1', READYROOM_AUTOMATION_OPEN_FILE: OPEN_DIR });
const dir = mkdtempSync(join(tmpdir(), 'rr-shots-'));
try {
  // The demo company: a Type II window with met and missed periods, exceptions and responses.
  const demo = join(dir, 'demo.readyroom');
  cli('--db', demo, 'demo');
  await shoot('dashboard', demo, async (s) => {
    await s.waitForText('h1', 'Readiness', 20_000);
    await s.waitForElement('[data-testid="headline"]', 20_000);
  });
  await shoot('dashboard-this-week', demo, async (s) => {
    await s.waitForElement('[data-testid="this-week"]', 20_000);
    await top(s, '[data-testid="this-week"]');
  });
  await shoot('controls-attention', demo, async (s) => {
    await s.clickText('nav button', 'Controls');
    await s.waitForElement('[data-testid="control-attention"]', 20_000);
  });
  await shoot('dashboard-exceptions', demo, async (s) => {
    await s.waitForElement('[data-testid="exceptions"]', 20_000);
    await top(s, '[data-testid="exceptions"]');
  });
  await shoot('dashboard-controls-by-period', demo, async (s) => {
    await s.waitForElement('section[aria-label="Controls by period"]', 20_000);
    await top(s, 'section[aria-label="Controls by period"]');
  });
  await shoot('settings', demo, async (s) => {
    await s.clickText('button', 'Check settings');
    await s.waitForElement('#settings-checks');
  });
  await shoot('settings-intervals', demo, async (s) => {
    await s.clickText('nav button', 'Vendors');
    await s.clickText('button', 'Assessment intervals');
    await s.waitForElement('#interval-critical');
  });
  await shoot('date-picker', demo, async (s) => {
    await s.clickText('nav button', 'Actions');
    await s.clickText('button', 'Add action');
    await s.waitForElement('aside.panel form');
    const toggle = await s.waitForElement('button.date-toggle');
    await s.click(toggle);
    await s.waitForElement('.date-popover');
  });
  await shoot('criteria-gaps', demo, async (s) => {
    await s.clickText('nav button', 'Criteria');
    await s.waitForElement('[data-testid^="coverage-"]', 20_000);
  });
  await shoot('unsaved-changes', demo, async (s) => {
    await s.clickText('nav button', 'Actions');
    await s.clickText('button', 'Add action');
    await s.waitForElement('aside.panel form');
    await s.type(await s.field('Title'), 'Rotate the deploy key');
    await s.clickText('nav button', 'Vendors');
    await s.waitForElement('[role="dialog"]');
  });
  await shoot('exception-response', demo, async (s) => {
    await s.waitForElement('[data-testid="exceptions"] li.exception', 20_000);
    const button = await s.pick(`return [...document.querySelectorAll('[data-testid="exceptions"] button')].find((b) => b.textContent.trim() === 'Record a response') ?? null`);
    if (button) await s.click(button);
    await s.waitForElement('form[aria-label="Exception response"]');
  });
  await shoot('control-periods', demo, async (s) => {
    await s.clickText('nav button', 'Controls');
    await s.waitForElement('table tbody button');
    await s.click(await s.find('table tbody button'));
    await s.waitForElement('section[aria-label="Periods"]');
    await top(s, 'section[aria-label="Periods"]');
  });
  await shoot('access-review-evidence', demo, async (s) => {
    await s.clickText('nav button', 'Access reviews');
    await s.waitForElement('table[aria-label="Access reviews"] tbody button');
    await s.click(await s.pick(`return [...document.querySelectorAll('table[aria-label="Access reviews"] tbody button')].find((b) => /^\\d{4}-\\d\\d-\\d\\d$/.test(b.textContent.trim()))`));
    await s.waitForElement('aside[aria-label="Access review"]');
    await top(s, 'aside[aria-label="Access review"] h3');
  });
  // A dated record put right: the correction dialog of a control's activity, on its row.
  await shoot('activity-correct', demo, async (s) => {
    await s.clickText('nav button', 'Controls');
    await s.waitForElement('table tbody button');
    await s.click(await s.find('table tbody button'));
    await s.click(await s.waitForElement('table[aria-label="Activities"] button[aria-label^="Correct"]'));
    await s.waitForElement('.modal form');
  });
  // A withdrawn record struck through, and an evidence file chosen (name and size) for the next one.
  await shoot('activity-withdrawn', demo, async (s) => {
    await s.clickText('nav button', 'Controls');
    await s.waitForElement('table tbody button');
    await s.click(await s.find('table tbody button'));
    await s.click(await s.waitForElement('table[aria-label="Activities"] button[aria-label^="Withdraw"]'));
    await s.fill('Reason', 'Recorded twice: the same review is on the line below.');
    await s.clickText('.modal button', 'Withdraw');
    await s.waitForElement('table[aria-label="Activities"] tr.withdrawn');
    offer('aws-users-2026-11.csv', (f) => writeFileSync(f, 'user,role\nann,admin\n'.repeat(2000)));
    await s.click(await s.find('#activity-file'));
    await s.waitForElement('[data-testid="activity-file-chosen"]');
    await top(s, 'table[aria-label="Activities"]');
  });
  // The exercises, with archived ones a tick away.
  await shoot('tabletop-list', demo, async (s) => {
    await s.clickText('nav button', 'Tabletop');
    await s.waitForElement('table[aria-label="Exercises"] tbody button');
  });
  // The script editor: a new script refused with its problems listed and at their fields; a
  // copied script's injects; the same script in the TOML view.
  await shoot('script-editor-new', demo, async (s) => {
    await s.clickText('nav button', 'Tabletop');
    await s.clickText('[role="tab"]', 'Scripts');
    await s.clickText('button', 'New script');
    await s.fill('Script title', 'Stolen admin session');
    await s.clickText('button', 'Save script');
    await s.waitForElement('.summary');
    await top(s, '.script-editor');
  });
  await shoot('script-editor-injects', demo, async (s) => {
    await s.clickText('nav button', 'Tabletop');
    await s.clickText('[role="tab"]', 'Scripts');
    await s.clickText('table[aria-label="Scripts"] button', 'Duplicate');
    await s.waitForElement('#inject-1-title');
    await top(s, 'ol[aria-label="Injects"]');
  });
  await shoot('script-editor-toml', demo, async (s) => {
    await s.clickText('nav button', 'Tabletop');
    await s.clickText('[role="tab"]', 'Scripts');
    await s.clickText('table[aria-label="Scripts"] button', 'Duplicate');
    await s.waitForElement('#inject-1-title');
    await s.clickText('[role="tab"]', 'TOML');
    await s.waitForElement('textarea[aria-label="Script source"]');
  });
  // An access review's two exports chosen in the system's dialog, compared.
  await shoot('access-review-picked', demo, async (s) => {
    await s.clickText('nav button', 'Access reviews');
    await s.clickText('button', 'Record access review');
    offer('aws-users-2026-06-30.csv', (f) => writeFileSync(f, 'username,role\nann@acme.test,admin\nben@acme.test,developer\nold@acme.test,support\n'));
    await s.click(await s.find('#ar-previous'));
    await s.waitForElement('[data-testid="ar-previous-chosen"]');
    // The first file stays where it was picked; the second is the newest in the folder.
    writeFileSync(join(OPEN_DIR, 'aws-users-2026-09-30.csv'), 'username,role\nann@acme.test,admin\nben@acme.test,admin\ncleo@acme.test,billing\n');
    await s.click(await s.find('#ar-current'));
    await s.waitForElement('[data-testid="ar-current-chosen"]');
    await s.clickText('button', 'Compare lists');
    await s.waitForElement('[data-testid="diff-summary"]');
  });
  // A policy approval corrected (never withdrawn).
  await shoot('approval-correct', demo, async (s) => {
    await s.clickText('nav button', 'Policies');
    await s.waitForElement('table tbody button');
    await s.click(await s.find('table tbody button'));
    await s.click(await s.waitForElement('table[aria-label="Approvals by version"] button[aria-label^="Correct"]'));
    await s.waitForElement('.modal form');
  });
  // An incident's timeline, each entry with Correct and Withdraw.
  await shoot('incident-timeline', demo, async (s) => {
    await s.clickText('nav button', 'Incidents');
    await s.waitForElement('table tbody button');
    await s.click(await s.find('table tbody button'));
    await s.waitForElement('section[aria-label="Timeline"]');
    await top(s, 'section[aria-label="Timeline"]');
  });
  const db = join(dir, 'acme.readyroom');
  cli('--db', db, 'init', '--plain');
  writeFileSync(join(dir, 'p.csv'), 'name,email,role,start_date\nAnn Lee,ann@acme.test,CTO,2024-01-08\nBo Chen,bo@acme.test,Engineer,2025-03-03\n');
  cli('--db', db, 'import', 'people', join(dir, 'p.csv'));
  offer('clearing.csv', (f) =>
    writeFileSync(f, 'name,email,role\nAnn Lee,ann@acme.test,\nBo Chen,bo@acme.test,Staff engineer\nCy Diaz,cy@acme.test,Support\n'),
  );
  await shoot('import-clearing', db, async (s) => {
    await s.clickText('nav button', 'People');
    await s.waitForText('table[aria-label="People"] td', 'ann@acme.test');
    await s.click(await s.find('button[aria-label="Import people from a CSV file or workbook"]'));
    await s.waitForElement('[data-testid="import-summary"]');
  });
  // A workbook with no sheet named after the register: the user picks the sheet.
  offer('auditor-requests.xlsx', (f) => copyFileSync(join(ROOT, 'crates/core/tests/fixtures/access-reviews.xlsx'), f));
  await shoot('import-choose-sheet', db, async (s) => {
    await s.clickText('nav button', 'People');
    await s.click(await s.find('button[aria-label="Import people from a CSV file or workbook"]'));
    await s.waitForElement('[role="dialog"] select');
  });
  for (const [screen, menu] of [
    ['Controls', 'Activities'],
    ['Systems', 'Log reviews'],
    ['Retention', 'Disposals'],
    ['Vendors', 'SOC 2 reports'],
    ['Policies', 'Acknowledgements'],
    ['Tabletop', 'Exercises held'],
  ]) {
    await shoot(`files-${screen.toLowerCase()}`, demo, async (s) => {
      await s.clickText('nav button', screen);
      await s.click(await s.find(`button[aria-label="${menu}: import, template or export"]`));
      await s.waitForElement('[role="menu"]');
    });
  }
  await shoot('files-access-reviews', demo, async (s) => {
    await s.clickText('nav button', 'Access reviews');
    await s.click(await s.find('button[aria-label="access reviews as CSV: export or template"]'));
    await s.waitForElement('[role="menu"]');
  });
  await shoot('requests-list', demo, async (s) => {
    await s.clickText('nav button', 'Auditor requests');
    await s.waitForElement('table[aria-label="Requests"]');
  });
  await shoot('request-detail', demo, async (s) => {
    await s.clickText('nav button', 'Auditor requests');
    await s.clickText('table[aria-label="Requests"] button', 'PBC-002');
    await s.waitForElement('section[aria-label="Suggestions"] li', 20_000);
  });
  await shoot('missing-workspace', join(dir, 'typo', 'acme.readyrom'), async (s) => {
    await s.waitForText('h1', 'There is no workspace at this path');
  });
  // Encryption: the archive's own passphrase, an encrypted archive's import, unlocking with
  // "remember", and Settings on an encrypted workspace.
  await shoot('archive-export', demo, async (s) => {
    await s.waitForElement('[data-testid="headline"]', 20_000);
    await s.clickText('.statusbar button', 'Export archive…');
    await s.fill('Archive passphrase', 'the archive passphrase');
  });
  const sealed = join(dir, 'sealed.readyroom');
  execFileSync(CLI, ['--db', sealed, 'demo'], { env: { ...process.env, READYROOM_PASSPHRASE: 'correct horse battery' }, stdio: 'ignore' });
  execFileSync(CLI, ['--db', sealed, 'archive', 'export', '--encrypt', '--out', join(dir, 'sealed.readyroom-archive')], {
    env: { ...process.env, READYROOM_PASSPHRASE: 'correct horse battery', READYROOM_ARCHIVE_PASSPHRASE: 'the archive passphrase' },
    stdio: 'ignore',
  });
  offer('acme.readyroom-archive', (to) => copyFileSync(join(dir, 'sealed.readyroom-archive'), to));
  await shoot('archive-import-passphrase', demo, async (s) => {
    await s.waitForElement('[data-testid="headline"]', 20_000);
    await s.clickText('.statusbar button', 'Import archive…');
    await s.fill('Archive passphrase', 'not it');
    await s.clickText('form[aria-label="Archive passphrase"] button', 'Continue');
    await s.waitFor('the refusal', async () => (await s.fieldError('Archive passphrase')) || null, 20_000);
  });
  await shoot('unlock-remember', sealed, async (s) => {
    await s.waitForElement('form[aria-label="Unlock workspace"]');
  });
  await shoot('settings-encrypted', sealed, async (s) => {
    await s.fill('Passphrase', 'correct horse battery');
    await s.click(await s.field('Remember it on this computer (in the system keychain)'));
    await s.clickText('form[aria-label="Unlock workspace"] button', 'Open');
    await s.waitForElement('.shell, .welcome', 20_000);
    await s.clickText('nav button', 'Settings');
    await s.waitForElement('[data-testid="settings-remembered"]', 20_000);
    await top(s, '[data-testid="settings-encryption"]');
  });
  const ro = process.env.RO_DB;
  if (ro) {
    await shoot('read-only', ro, async (s) => {
      await s.waitForElement('[data-testid="read-only-banner"]');
    });
  }
} finally {
  driver.stop();
  // The workspaces and picked files made for the pictures.
  for (const d of [dir, OPEN_DIR]) rmSync(d, { recursive: true, force: true });
}
