// End-to-end: the real Readyroom binary (UI built in), driven through tauri-driver and
// WebKitWebDriver under Xvfb, each test on its own temporary workspace.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { Session, startDriver } from './webdriver.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
// Built with the UI embedded by scripts/test (build_app), copied aside so that a plain
// debug build cannot replace it with one that expects the dev server.
const APP = process.env.E2E_APP ?? join(ROOT, 'target/debug/readyroom-app-e2e');
const CLI = process.env.E2E_CLI ?? join(ROOT, 'target/debug/readyroom');
const ARTIFACTS = join(ROOT, 'tests/e2e/artifacts');
const SHOTS = process.env.E2E_SCREENSHOTS; // a folder: save a picture of each screen for review

// The app's OS app-data folder (XDG_DATA_HOME on Linux) points into a temp dir, so the
// test of the default location never touches the real one.
// Every folder the run makes under the system's temp folder, removed when it ends (a run holds
// a 200 MB evidence file and dozens of workspaces; E2E_KEEP_TEMP=1 keeps them to look at).
const TEMP_DIRS = [];
function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  TEMP_DIRS.push(dir);
  return dir;
}

const DATA_HOME = tempDir('readyroom-e2e-data-');
// Save dialogs are answered with a file in this folder (READYROOM_AUTOMATION_SAVE_DIR).
const SAVE_DIR = tempDir('readyroom-e2e-saved-');
// Open dialogs are answered with the file put last in this folder (READYROOM_AUTOMATION_OPEN_FILE):
// a test offers there the file the user would pick, under its own name (see `offer`).
const OPEN_DIR = tempDir('readyroom-e2e-open-');

let driver;
before(async () => {
  assert.ok(existsSync(APP), `app binary missing at ${APP}`);
  driver = await startDriver(join(ARTIFACTS, 'tauri-driver.log'), {
    XDG_DATA_HOME: DATA_HOME,
    READYROOM_DB: '',
    // Remembered passphrases stay in the app's memory, never in this machine's keychain.
    READYROOM_NO_KEYCHAIN: '1',
    // One app per test, each on its own: never handed to the one before, still closing.
    READYROOM_MULTI_INSTANCE: '1',
    // The computer account history entries name.
    USER: 'ops-lead',
    READYROOM_AUTOMATION_SAVE_DIR: SAVE_DIR,
    READYROOM_AUTOMATION_OPEN_FILE: OPEN_DIR,
  });
});
after(() => {
  driver?.stop();
  if (!process.env.E2E_KEEP_TEMP) for (const dir of TEMP_DIRS) rmSync(dir, { recursive: true, force: true });
});

/** A new, empty workspace (created with `readyroom init`: the app only opens existing ones). */
function workspace() {
  const db = join(tempDir('readyroom-e2e-'), 'acme.readyroom');
  cli('--db', db, 'init', '--plain');
  return db;
}

/** Starts the app on `db` (null: the default workspace), runs `body`, saves a screenshot
 *  if it fails, always quits. */
async function withApp(name, db, body, options = {}) {
  const s = await Session.start(APP, db === null ? [] : ['--db', db]);
  try {
    await s.waitFor('the app to open its workspace', () => s.find('.shell, .problem, .welcome'), 20_000);
    // A new, empty workspace opens on the welcome screen; most tests start their own.
    if (!options.keepWelcome && (await s.exec(`return !!document.querySelector('.welcome')`))) {
      await s.clickText('button', 'Start my own workspace');
      await s.waitForElement('.shell');
    }
    await body(s);
  } catch (err) {
    await s.screenshot(join(ARTIFACTS, `${name}.png`)).catch(() => {});
    throw err;
  } finally {
    await s.quit();
  }
}

/** Makes `name`, holding `content`, the file the next open dialog answers with (the folder is
 *  emptied first; `beside` adds files next to it, by relative path). Returns its path. */
function offer(name, content, beside = {}) {
  for (const f of readdirSync(OPEN_DIR)) rmSync(join(OPEN_DIR, f), { recursive: true, force: true });
  for (const [rel, text] of Object.entries(beside)) {
    mkdirSync(dirname(join(OPEN_DIR, rel)), { recursive: true });
    writeFileSync(join(OPEN_DIR, rel), text);
  }
  const path = join(OPEN_DIR, name);
  writeFileSync(path, content);
  return path;
}

/** Chooses the file at `path` in the open dialog the button `#id` opens (a small file: its size
 *  shows in bytes), and waits for its name and size beside the button. Files chosen before
 *  (`kept`) stay where they were picked, as on a real disk: the app reads them later. */
async function choose(s, id, path, kept = []) {
  const content = readFileSync(path);
  const name = basename(path);
  offer(name, content, Object.fromEntries(kept.map((k) => [basename(k), readFileSync(k)])));
  // The dialog answers with the newest file: the kept ones are made older.
  const older = new Date(Date.now() - 60_000);
  for (const k of kept) utimesSync(join(OPEN_DIR, basename(k)), older, older);
  await s.click(await s.find(`#${id}`));
  await s.waitForText(`[data-testid="${id}-chosen"]`, `${name} (${content.length} B)`);
}

async function shot(s, name) {
  if (SHOTS) await s.screenshot(join(SHOTS, `${name}.png`));
}

function cli(...args) {
  return execFileSync(CLI, args, { encoding: 'utf8' });
}

test('fill and save the profile, restart the app, see it persisted', async () => {
  const db = workspace();
  await withApp('profile-persists', db, async (s) => {
    await s.waitForText('h1', 'Organization');
    const path = await s.text(await s.find('[data-testid="workspace-path"]'));
    assert.equal(path, db, 'the status bar names the open workspace');
    await s.fill('Organization name', 'Acme Analytics Ltd');
    await s.fill('System description and scope', 'The Acme analytics platform, its AWS infrastructure and support tooling.');
    await s.click(await s.field('Availability'));
    await s.click(await s.field('Type II'));
    await s.fill('Observation window start', '2027-01-01');
    await s.fill('Observation window end', '2027-06-30');
    await s.fill('Auditor', 'Example & Partners LLP');
    await s.fill('Target report date', '2027-08-15');
    await shot(s, 'profile-filled');
    await s.clickText('button', 'Save profile');
    await s.waitForText('[data-testid="profile-status"]', 'Saved.');
    await shot(s, 'profile-saved');
  });

  await withApp('profile-persists-restart', db, async (s) => {
    // With the organization set up, the app now opens on the readiness dashboard.
    await s.waitForText('h1', 'Readiness');
    await s.clickText('nav button', 'Organization');
    await s.waitFor('the stored name', async () => (await s.value('Organization name')) === 'Acme Analytics Ltd');
    assert.equal(await s.value('Observation window end'), '2027-06-30');
    assert.equal(await s.value('Auditor'), 'Example & Partners LLP');
    assert.equal(await s.checked('Availability'), true);
    assert.equal(await s.checked('Privacy'), false);
    assert.equal(await s.checked('Type II'), true);
  });

  const stored = JSON.parse(cli('--db', db, 'profile', '--json'));
  assert.equal(stored.name, 'Acme Analytics Ltd');
  assert.equal(stored.audit_type, 'type2');
});

test('an invalid profile shows the error next to the field and stores nothing', async () => {
  const db = workspace();
  await withApp('profile-invalid', db, async (s) => {
    await s.waitForText('h1', 'Organization');
    await s.fill('Organization name', 'Acme Analytics Ltd');
    await s.click(await s.field('Type II'));
    await s.fill('Observation window start', '2027-06-30');
    await s.fill('Observation window end', '2027-01-01');
    await s.fill('Target report date', '2027-02-30');
    await s.clickText('button', 'Save profile');
    await s.waitFor('the window error', async () => (await s.fieldError('Observation window end')) !== '');
    assert.equal(await s.fieldError('Observation window end'), 'The observation window must end after it starts.');
    assert.equal(await s.fieldError('Target report date'), 'Target report date must be a real date written as YYYY-MM-DD.');
    assert.equal(await s.fieldError('Organization name'), '');
    await s.waitForText('[data-testid="profile-status"]', 'Not saved: fix the highlighted fields.');
    await shot(s, 'profile-invalid');
  });
  assert.equal(cli('--db', db, 'profile', '--json').trim(), 'null', 'nothing was stored');
});

test('create a person and find them in the list; a duplicate email is refused', async () => {
  const db = workspace();
  await withApp('people', db, async (s) => {
    await s.clickText('nav button', 'People');
    await s.waitForText('h3', 'No people yet');
    await shot(s, 'people-empty');
    await s.clickText('button', 'Add the first person');
    await s.fill('Name', 'Priya Raman');
    await s.fill('Email', 'priya@acme.example');
    await s.fill('Role', 'Head of Operations');
    await s.fill('Start date', '2024-03-04');
    await s.clickText('button', 'Save person');
    await s.waitForText('table[aria-label="People"] td', 'priya@acme.example');

    await s.clickText('button', 'Add person');
    await s.fill('Name', 'Another Priya');
    await s.fill('Email', 'PRIYA@acme.example');
    await s.fill('Start date', '2024-03-04');
    await s.fill('End date', '2024-03-01');
    await s.clickText('button', 'Save person');
    await s.waitFor('the email error', async () => (await s.fieldError('Email')) !== '');
    assert.equal(await s.fieldError('Email'), 'Priya Raman already uses this email.');
    assert.equal(await s.fieldError('End date'), 'End date cannot be before the start date.');
    await shot(s, 'people-duplicate');
    await s.clickText('button', 'Cancel');

    await s.type(await s.find('input[aria-label="Search people"]'), 'operations');
    await s.waitForText('table[aria-label="People"] button', 'Priya Raman');
    await shot(s, 'people-list');
  });
  const people = JSON.parse(cli('--db', db, 'people', '--json'));
  assert.deepEqual(people.map((p) => p.email), ['priya@acme.example'], 'only the valid person was stored');
});

test('the criteria library lists the 61 criteria and marks categories out of scope', async () => {
  const db = workspace();
  await withApp('criteria', db, async (s) => {
    await s.clickText('nav button', 'Criteria');
    await s.waitForText('h1', 'Criteria');
    const rows = await s.waitFor('61 rows', async () => {
      const r = await s.findAll('tr[data-criterion]');
      return r.length === 61 ? r : null;
    });
    assert.equal(rows.length, 61);
    await s.waitFor('the coverage', async () =>
      (await s.text(await s.find('[data-testid="criteria-count"]'))) === '61 of 61 criteria · 33 in scope · 0 of 33 covered today' || null,
    );
    // A new workspace maps no control: every in-scope criterion is a gap, and says so.
    assert.equal(await s.text(await s.find('[data-testid="coverage-CC6.1"]')), 'No control');
    await s.click(await s.field('Only in-scope gaps'));
    await s.waitFor('33 gaps', async () => ((await s.findAll('tr[data-criterion]')).length === 33 ? true : null));
    await s.click(await s.field('Only in-scope gaps'));
    const outOfScope = await s.exec(
      `return [...document.querySelectorAll('section.criteria-group.out-of-scope')].map((e) => e.getAttribute('aria-label'));`,
    );
    assert.deepEqual(outOfScope, ['Availability', 'Confidentiality', 'Processing Integrity', 'Privacy']);
    await shot(s, 'criteria');
  });
});

test('a mistyped workspace path creates nothing until the user asks, then opens the new workspace', async () => {
  const dir = tempDir('readyroom-e2e-');
  const typo = join(dir, 'Acme', 'acme.readyrom');
  await withApp(
    'missing-workspace',
    typo,
    async (s) => {
      await s.waitForText('h1', 'There is no workspace at this path');
      assert.ok((await s.text(await s.find('.problem-message'))).includes(typo), 'the message names the path');
      assert.equal(existsSync(join(dir, 'Acme')), false, 'nothing created before the user asks');
      await shot(s, 'missing-workspace');
      await s.clickText('button', 'Create a new workspace here');
      // Asked for a passphrase first; this one is made plain (the warning says what that means).
      await s.click(await s.field('Encrypt the workspace (recommended)'));
      await s.waitForElement('[data-testid="plain-warning"]');
      assert.equal(existsSync(join(dir, 'Acme')), false, 'still nothing before Create');
      await s.clickText('button', 'Create the workspace');
      await s.waitForText('.welcome h1', 'Welcome to Readyroom');
    },
    { keepWelcome: true },
  );
  assert.ok(existsSync(typo), 'created when asked');
  assert.match(cli('--db', typo, 'criteria'), /^CC1\.1 /);
});

test('an import that would clear stored values asks first, lists the fields, and writes only when confirmed', async () => {
  const db = workspace();
  const dir = tempDir('readyroom-e2e-csv-');
  const full = join(dir, 'people.csv');
  writeFileSync(full, 'name,email,role,start_date\nAnn Lee,ann@acme.test,CTO,2024-01-08\nBo Chen,bo@acme.test,Engineer,2025-03-03\n');
  cli('--db', db, 'import', 'people', full);
  const importPeople = 'button[aria-label="Import people from a CSV file or workbook"]';
  await withApp('csv-clearing', db, async (s) => {
    await s.clickText('nav button', 'People');
    await s.waitForText('table[aria-label="People"] td', 'ann@acme.test');
    // Only name and email: the roles and start dates must stay as they are.
    offer('slim.csv', 'name,email\nAnn Lee,ann@acme.test\nBo Chen,bo@acme.test\n');
    await s.click(await s.find(importPeople));
    await s.waitForText('[data-testid="import-summary"]', '0 new, 0 updated, 2 unchanged.');
    await s.clickText('[role="dialog"] button', 'Cancel');

    // An empty role cell: that one clears Ann's role, and only with the user's say-so.
    offer('clearing.csv', 'name,email,role\nAnn Lee,ann@acme.test,\nBo Chen,bo@acme.test,Staff engineer\n');
    await s.click(await s.find(importPeople));
    await s.waitForText('[data-testid="import-summary"]', '0 new, 2 updated, 0 unchanged.');
    const rows = await s.exec(
      `return [...document.querySelectorAll('table[aria-label="Changes"] tbody tr')].map((r) => [...r.cells].map((c) => c.textContent.trim()));`,
    );
    assert.deepEqual(rows, [
      ['ann@acme.test', 'role', 'CTO', '(empty) cleared'],
      ['bo@acme.test', 'role', 'Engineer', 'Staff engineer'],
    ]);
    await s.waitForText('[role="dialog"] [role="alert"] strong', '1 stored value will be cleared');
    assert.equal(await s.exec(`return [...document.querySelectorAll('[role="dialog"] button')].find((b) => b.textContent.trim() === 'Import').disabled`), true);
    await shot(s, 'csv-clearing');
    await s.click(await s.field('Clear this value'));
    await s.clickText('[role="dialog"] button', 'Import');
    await s.waitForText('.banner span', 'Imported clearing.csv: 0 created, 2 updated, 0 unchanged, 1 value cleared.');
  });
  const people = cli('--db', db, 'export', 'people');
  assert.match(people, /^Ann Lee,ann@acme.test,,2024-01-08,$/m, 'role cleared on confirmation, start date kept');
  assert.match(people, /^Bo Chen,bo@acme.test,Staff engineer,2025-03-03,$/m);
});

test('a file that is not a workspace is refused on screen and left unchanged', async () => {
  const dir = tempDir('readyroom-e2e-');
  const file = join(dir, 'notes.readyroom');
  execFileSync('sh', ['-c', `printf 'not a database' > "${file}"`]);
  await withApp('not-a-workspace', file, async (s) => {
    await s.waitForText('h1', 'This file is not a Readyroom workspace');
    assert.equal(await s.findAll('nav').then((n) => n.length), 0);
    await shot(s, 'not-a-workspace');
  });
  assert.equal(execFileSync('cat', [file], { encoding: 'utf8' }), 'not a database');
});

test('an encrypted workspace is created in the app, shows its recovery key once, and reopens only with its passphrase, remembered on request', async () => {
  const db = workspace();
  const created = join(SAVE_DIR, 'workspace.readyroom');
  for (const f of ['', '.key', '.lock', '-wal', '-shm']) rmSync(created + f, { force: true });
  await withApp('encrypted-new', db, async (s) => {
    await s.clickText('.statusbar button', 'New workspace…');
    await s.waitForElement('form[aria-label="New workspace"]');
    // A short passphrase, then two that differ: each said next to its field, nothing created.
    await s.fill('Passphrase', 'short');
    await s.fill('The same passphrase again', 'short');
    await s.clickText('button', 'Choose where to save…');
    await s.waitFor('the length rule', async () => (await s.fieldError('Passphrase')).includes('at least 10') || null);
    await s.fill('Passphrase', 'correct horse battery');
    await s.fill('The same passphrase again', 'correct horse batterY');
    await s.clickText('button', 'Choose where to save…');
    await s.waitFor('the mismatch', async () => (await s.fieldError('The same passphrase again')).includes('differ') || null);
    assert.equal(existsSync(created), false, 'nothing is created before the passphrase is right');
    await s.fill('The same passphrase again', 'correct horse battery');
    await shot(s, 'new-workspace');
    await s.clickText('button', 'Choose where to save…');
    const key = await s.text(await s.waitForElement('[data-testid="recovery-key"]'));
    assert.match(key, /^([0-9A-Z]{4}-){13}[0-9A-Z]{4}$/);
    await shot(s, 'recovery-key');
    assert.equal(await s.exec(`return [...document.querySelectorAll('button')].find((b) => b.textContent === 'Continue').disabled`), true);
    await s.click(await s.field('I have kept the recovery key somewhere safe'));
    await s.clickText('button', 'Continue');
    // The new workspace is open, empty: its welcome screen names the file.
    await s.waitForText('.welcome .mono', created);
  });
  assert.equal(readFileSync(created).subarray(0, 15).toString('latin1') === 'SQLite format 3', false, 'the file on disk is encrypted');
  assert.ok(existsSync(`${created}.key`));

  // Reopened: it waits for the passphrase; a wrong one is said on the field and opens nothing.
  await withApp('encrypted-reopen', created, async (s) => {
    await s.waitForText('h1', 'This workspace is encrypted');
    await shot(s, 'unlock');
    await s.fill('Passphrase', 'not the passphrase');
    await s.clickText('form[aria-label="Unlock workspace"] button', 'Open');
    await s.waitFor('the wrong passphrase', async () => (await s.fieldError('Passphrase')).includes('does not open') || null);
    assert.equal((await s.findAll('nav')).length, 0);
    await s.fill('Passphrase', 'correct horse battery');
    // Kept in the keychain (this test's app keeps it in memory, never in the machine's).
    await s.click(await s.field('Remember it on this computer (in the system keychain)'));
    await s.clickText('form[aria-label="Unlock workspace"] button', 'Open');
    await s.waitForElement('.shell, .welcome');
    assert.equal(await s.exec(`return document.querySelectorAll('.banner-error, .banner.error').length`), 0, 'no keychain warning');
  }, { keepWelcome: true });
});

test('first start without --db asks for a passphrase and creates the encrypted workspace in the app-data folder', async () => {
  const expected = join(DATA_HOME, 'dev.readyroom.desktop', 'workspace.readyroom');
  assert.equal(existsSync(expected), false);
  await withApp('default-workspace', null, async (s) => {
    await s.waitForText('h1', 'Welcome to Readyroom');
    assert.equal(existsSync(expected), false, 'nothing is created before the user chooses');
    await shot(s, 'first-start');
    await s.fill('Passphrase', 'correct horse battery');
    await s.fill('The same passphrase again', 'correct horse battery');
    await s.clickText('button', 'Create the workspace');
    await s.waitForElement('[data-testid="recovery-key"]');
    await s.click(await s.field('I have kept the recovery key somewhere safe'));
    await s.clickText('button', 'Continue');
    await s.clickText('button', 'Start my own workspace');
    await s.waitForText('h1', 'Organization');
    assert.equal(await s.text(await s.find('[data-testid="workspace-path"]')), expected);
  }, { keepWelcome: true });
  assert.ok(existsSync(expected), 'the workspace file exists after the first start');
  assert.notEqual(readFileSync(expected).subarray(0, 15).toString('latin1'), 'SQLite format 3', 'encrypted');
  const criteria = execFileSync(CLI, ['--db', expected, 'criteria'], { encoding: 'utf8', env: { ...process.env, READYROOM_PASSPHRASE: 'correct horse battery' } });
  assert.match(criteria, /^CC1\.1 /);
});

test('a workspace held by another process is reported as in use, not opened', async () => {
  const db = workspace();
  // flock(1) takes the same advisory lock a running Readyroom holds on NAME.lock.
  const holder = spawn('flock', [`${db}.lock`, 'sleep', '60'], { stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 300));
    await withApp('in-use', db, async (s) => {
      await s.waitForText('h1', 'This workspace is already open');
      assert.equal((await s.findAll('nav')).length, 0, 'no app areas on a workspace in use');
      await shot(s, 'in-use');
    });
  } finally {
    holder.kill();
  }
});

test('create a control mapped to two criteria, record an activity, see it on the criterion page', async () => {
  const db = workspace();
  await withApp('controls', db, async (s) => {
    await s.clickText('nav button', 'Controls');
    await s.waitForText('h3', 'No controls yet');
    await shot(s, 'controls-empty');
    await s.clickText('button', 'Add one control');
    await s.fill('Reference', 'AC-03');
    await s.fill('Title', 'Role-based access to production');
    await s.fill('Criteria', 'CC6.1 CC6.3 CC99.9');
    await s.clickText('button', 'Save control');
    await s.waitFor('the criteria error', async () => (await s.fieldError('Criteria')) !== '');
    assert.equal(await s.fieldError('Criteria'), 'Unknown criteria: CC99.9. Use IDs such as CC6.1.');
    await s.fill('Criteria', 'CC6.1 CC6.3');
    await s.select('Status', 'implemented');
    await s.select('Cadence', 'quarterly');
    await s.clickText('button', 'Save control');
    await s.waitFor('the control page', async () => (await s.exec(`return document.querySelector('h1')?.textContent ?? ''`)).includes('AC-03'));

    await s.fill('Performed on', '2031-01-01');
    await s.clickText('button', 'Record activity');
    await s.waitFor('the date error', async () => (await s.fieldError('Performed on')) !== '');
    assert.equal(await s.fieldError('Performed on'), 'An activity cannot be recorded before it happens.');
    await s.fill('Performed on', '2026-09-30');
    await s.fill('Notes', 'Reviewed roles in AWS and GitHub; removed two stale admins.');
    const content = 'user,role\nann,admin\nbo,readonly\n';
    offer('aws-users-2026-09-30.csv', content);
    await s.click(await s.find('#activity-file'));
    await s.waitForText('[data-testid="activity-file-chosen"]', 'aws-users-2026-09-30.csv (32 B)');
    await s.clickText('button', 'Record activity');
    await s.waitFor('next due', async () => (await s.text(await s.find('[data-testid="next-due"]'))) === '2026-12-30');
    await s.waitForText('table[aria-label="Evidence files"] button', 'aws-users-2026-09-30.csv');
    const stored = readdirSync(db.replace(/acme\.readyroom$/, 'acme.attachments'));
    assert.deepEqual(stored, [createHash('sha256').update(content).digest('hex')], 'stored under its SHA-256');
    await shot(s, 'control-detail');

    await s.clickText('button', 'CC6.3');
    await s.waitForText('h2', 'CC6.3 · Role-based least privilege');
    await s.waitForText('.mapped-controls button', 'AC-03 Role-based access to production');
    await shot(s, 'criterion-controls');
    await s.clickText('tr[data-criterion="CC6.2"] button', 'CC6.2');
    await s.waitFor('the empty note', () => s.find('[data-testid="no-controls"]'));
  });
});

test('the starter control library can be added in one step', async () => {
  const db = workspace();
  await withApp('starter-controls', db, async (s) => {
    await s.clickText('nav button', 'Controls');
    await s.clickText('button', 'Add the starter controls');
    await s.waitForText('[data-testid="controls-count"]', '94 controls');
    await shot(s, 'controls-starter');
  });
});

test('a CSV with one bad row imports nothing and shows the report; a good CSV imports its rows', async () => {
  const db = workspace();
  // Semicolons and a BOM, as a European Excel saves "CSV UTF-8".
  const bad = '\uFEFFReference;Title;Status;Cadence;Criteria\r\nAC-01;Unique accounts;Implemented;Continuous;CC6.1\r\nAC-02;Multi-factor authentication;Done;Continuous;CC6.1 CC6.6\r\n';
  const good = '\uFEFFReference;Title;Status;Cadence;Criteria\r\nAC-01;Unique accounts;Implemented;Continuous;CC6.1\r\nAC-02;Multi-factor authentication;In progress;Continuous;CC6.1 CC6.6\r\n';
  await withApp('csv-import', db, async (s) => {
    await s.clickText('nav button', 'Controls');
    await s.waitForText('h3', 'No controls yet');
    const importControls = 'button[aria-label="Import controls from a CSV file or workbook"]';
    offer('bad-controls.csv', bad);
    await s.click(await s.find(importControls));
    await s.waitForText('[role="dialog"] h3', 'bad-controls.csv cannot be imported');
    const problems = await s.exec(
      `return [...document.querySelectorAll('table[aria-label="Import problems"] tbody tr')].map((r) => [...r.cells].map((c) => c.textContent.trim()));`,
    );
    assert.deepEqual(problems, [['3', 'status', 'Status must be one of not_started, in_progress, implemented, not_applicable.']]);
    await shot(s, 'csv-rejected');
    await s.clickText('[role="dialog"] button', 'Close');
    await s.waitForText('h3', 'No controls yet');

    offer('controls.csv', good);
    await s.click(await s.find(importControls));
    await s.waitForText('[data-testid="import-summary"]', '2 new, 0 updated, 0 unchanged.');
    await shot(s, 'csv-ready');
    await s.clickText('[role="dialog"] button', 'Import');
    await s.waitForText('[data-testid="controls-count"]', '2 controls');
    await s.waitForText('table[aria-label="Controls"] button', 'AC-02');
    await shot(s, 'csv-imported');
  });
  const exported = cli('--db', db, 'export', 'controls', '--csv');
  assert.match(exported, /^AC-02,Multi-factor authentication,,,in_progress,continuous,CC6.1 CC6.6,$/m);
});

test('an action created from a control shows on the control and in the overdue list', async () => {
  const db = workspace();
  await withApp('actions', db, async (s) => {
    await s.clickText('nav button', 'Controls');
    await s.clickText('button', 'Add the starter controls');
    await s.waitForText('[data-testid="controls-count"]', '94 controls');
    await s.type(await s.find('input[aria-label="Search controls"]'), 'quarterly access');
    await s.clickText('table[aria-label="Controls"] button', 'AC-05');
    await s.waitFor('the control page', async () => (await s.exec(`return document.querySelector('h1')?.textContent ?? ''`)).includes('AC-05'));
    await s.clickText('button', 'Create action');
    await s.fill('Title', 'Run the overdue Q3 review of production access');
    await s.fill('Due date', '2026-13-40');
    await s.clickText('button', 'Save action');
    await s.waitFor('the due date error', async () => (await s.fieldError('Due date')) !== '');
    assert.equal(await s.fieldError('Due date'), 'Due date must be a real date written as YYYY-MM-DD.');
    await s.fill('Due date', '2020-09-30');
    await s.clickText('button', 'Save action');
    await s.waitForText('table[aria-label="Actions for this control"] td', 'Run the overdue Q3 review of production access');
    await shot(s, 'control-actions');

    await s.clickText('nav button', 'Actions');
    await s.click(await s.field('Overdue only'));
    await s.waitForText('[data-testid="actions-count"]', '1 action');
    await s.waitForText('table[aria-label="Actions"] button', 'AC-05 Quarterly access reviews');
    await shot(s, 'actions-overdue');
  });
});

test('approve a policy and see its review date; acknowledge it', async () => {
  const db = workspace();
  const people = join(tempDir('readyroom-e2e-people-'), 'people.csv');
  writeFileSync(people, 'name,email,role\nCleo Ode,cleo@acme.example,CEO\nDev Ray,dev@acme.example,Engineer\n');
  cli('--db', db, 'init', '--plain');
  assert.match(cli('--db', db, 'import', 'people', people), /2 created/);
  await withApp('policies', db, async (s) => {
    await s.clickText('nav button', 'Policies');
    await s.clickText('button', 'Add the expected policies');
    await s.waitForText('[data-testid="policies-count"]', '18 policies');
    await shot(s, 'policies-list');
    await s.clickText('table[aria-label="Policies"] button', 'Access Control Policy');
    await s.waitForText('h1', 'Access Control Policy');
    await s.clickText('.page-actions button', 'Approve');
    await s.fill('Approved on', '2099-01-01');
    await s.select('Approved by', await s.exec(`return [...document.querySelectorAll('#approve-by option')].find((o) => o.textContent === 'Cleo Ode').value;`));
    await s.clickText('aside button', 'Approve');
    await s.waitFor('the date error', async () => (await s.fieldError('Approved on')) !== '');
    assert.equal(await s.fieldError('Approved on'), 'An approval cannot be dated in the future.');
    await s.fill('Approved on', '2026-11-02');
    await s.clickText('aside button', 'Approve');
    await s.waitFor('the review date', async () => (await s.text(await s.find('[data-testid="next-review"]'))) === '2027-11-02');
    assert.equal(await s.text(await s.find('[data-testid="in-force"]')), 'version 0.1, approved 2026-11-02 by Cleo Ode');

    await s.select('Acknowledged by', await s.exec(`return [...document.querySelectorAll('#ack-person option')].find((o) => o.textContent === 'Dev Ray').value;`));
    await s.fill('Acknowledged on', '2026-11-03');
    await s.clickText('button', 'Record acknowledgement');
    await s.waitForText('table[aria-label="Acknowledged by"] td', 'Dev Ray');

    offer('access-control-policy-v0.1.txt', 'Access Control Policy, version 0.1\n');
    await s.click(await s.find('#policy-file'));
    await s.waitForText('[data-testid="policy-file-chosen"]', 'access-control-policy-v0.1.txt (35 B)');
    await s.fill('Effective date', '2026-11-02');
    await s.select('Added by', await s.exec(`return [...document.querySelectorAll('#policy-file-by option')].find((o) => o.textContent === 'Cleo Ode').value;`));
    await s.clickText('button', 'Attach file');
    await s.waitForText('table[aria-label="Policy files"] button', 'access-control-policy-v0.1.txt');
    const row = await s.exec(`return [...document.querySelector('table[aria-label="Policy files"] tbody tr').cells].map((c) => c.textContent.trim());`);
    assert.deepEqual(row, ['access-control-policy-v0.1.txt', '2026-11-02', '—', '35 B', 'Cleo Ode', 'Withdraw']);
    await shot(s, 'policy-approved');
  });
});

test('create three risks, read the heatmap inherent and residual, open a risk from a cell; residual above inherent is refused', async () => {
  const db = workspace();
  await withApp('risks-heatmap', db, async (s) => {
    await s.clickText('nav button', 'Risks');
    await s.waitForText('h2, h3, .empty-state *', 'No risks yet');
    const cellLabel = (l, i) => s.exec(`return document.querySelector('[data-testid="cell-${l}-${i}"]')?.getAttribute('aria-label') ?? ''`);

    // First risk: a residual above the inherent rating is refused next to the field.
    await s.clickText('button', 'Add one risk');
    await s.fill('Title', 'Staff credentials stolen through phishing');
    await s.select('Likelihood', '4');
    await s.select('Impact', '4');
    await s.select('Treatment', 'mitigate');
    await s.select('Residual likelihood', '5');
    await s.select('Residual impact', '2');
    await s.clickText('button', 'Save risk');
    await s.waitFor('the residual error', async () => (await s.fieldError('Residual likelihood')) !== '');
    assert.equal(
      await s.fieldError('Residual likelihood'),
      'Residual likelihood (Almost certain) cannot be above the inherent likelihood (Likely): treatment lowers a risk, it never raises it.',
    );
    await shot(s, 'risk-residual-error');
    assert.equal(cli('--db', db, 'risks').trim(), '', 'nothing was stored');
    await s.select('Residual likelihood', '2');
    await s.clickText('button', 'Save risk');
    await s.waitFor('the risk page', async () => (await s.exec(`return document.querySelector('h1')?.textContent ?? ''`)).includes('RISK-001'));
    assert.equal(await s.text(await s.find('[data-testid="inherent"] .score-tag')), '16 · High');
    assert.equal(await s.text(await s.find('[data-testid="residual"] .score-tag')), '4 · Low');

    // Two more: one at the same inherent cell, one elsewhere.
    await s.clickText('button', '← All risks');
    await s.clickText('button', 'Add risk');
    await s.fill('Title', 'Production outage');
    await s.select('Category', 'availability');
    await s.select('Likelihood', '4');
    await s.select('Impact', '4');
    await s.clickText('button', 'Save risk');
    await s.waitFor('the risk page', async () => (await s.exec(`return document.querySelector('h1')?.textContent ?? ''`)).includes('RISK-002'));
    await s.clickText('button', '← All risks');
    await s.clickText('button', 'Add risk');
    await s.fill('Title', 'Invoice fraud by email');
    await s.select('Category', 'fraud');
    await s.select('Likelihood', '3');
    await s.select('Impact', '2');
    await s.clickText('button', 'Save risk');
    await s.waitFor('the risk page', async () => (await s.exec(`return document.querySelector('h1')?.textContent ?? ''`)).includes('RISK-003'));
    await s.clickText('button', '← All risks');
    await s.waitForText('[data-testid="risks-count"]', '3 risks');
    await shot(s, 'risks-register');

    // Heatmap: inherent counts, then residual.
    await s.clickText('[role="tab"]', 'Heatmap');
    await s.waitForText('[data-testid="heatmap-count"]', '3 risks shown');
    assert.equal(await cellLabel(4, 4), 'Likely x Major: 2 risks');
    assert.equal(await cellLabel(3, 2), 'Possible x Minor: 1 risk');
    assert.equal(await cellLabel(2, 2), 'Unlikely x Minor: 0 risks');
    assert.equal(await s.text(await s.find('[data-testid="cell-4-4"] .n')), '2');
    await shot(s, 'risks-heatmap-inherent');
    await s.clickText('[role="radio"]', 'Residual');
    await s.waitFor('the residual view', async () => (await cellLabel(2, 2)) === 'Unlikely x Minor: 1 risk');
    assert.equal(await cellLabel(4, 4), 'Likely x Major: 1 risk');
    await s.click(await s.field('Show movement from inherent to residual'));
    await s.waitForElement('[data-testid="moves"] line');
    await s.click(await s.find('[data-testid="cell-2-2"]'));
    await s.waitForText('section[aria-label="Risks in the chosen cell"] h2', 'Unlikely x Minor: 1 risk');
    await shot(s, 'risks-heatmap-residual');
    await s.clickText('section[aria-label="Risks in the chosen cell"] button', 'RISK-001 Staff credentials stolen through phishing');
    await s.waitFor('the risk page', async () => (await s.exec(`return document.querySelector('h1')?.textContent ?? ''`)).includes('RISK-001'));
    await shot(s, 'risk-detail');

    // A treatment action is a remediation action linked to the risk.
    await s.clickText('button', 'Create treatment action');
    await s.fill('Title', 'Roll out phishing-resistant MFA keys');
    await s.fill('Due date', '2027-01-31');
    await s.clickText('button', 'Save action');
    await s.waitForText('table[aria-label="Actions for this risk"] td', 'Roll out phishing-resistant MFA keys');
    await s.clickText('nav button', 'Actions');
    await s.clickText('table[aria-label="Actions"] button', 'RISK-001 Staff credentials stolen through phishing');
    await s.waitFor('the risk page', async () => (await s.exec(`return document.querySelector('h1')?.textContent ?? ''`)).includes('RISK-001'));
  });
});

test('record a risk assessment, change the register, record another and compare them; amend the first (an empty amendment refused)', async () => {
  const db = workspace();
  await withApp('risk-assessments', db, async (s) => {
    await s.clickText('nav button', 'Risks');
    await s.clickText('button', 'Choose starter risks');
    await s.waitForElement('aside[aria-label="Starter risks"] input[type="checkbox"]');
    await shot(s, 'risks-starter');
    await s.clickText('button', 'Add 26 selected');
    await s.waitForText('[data-testid="risks-count"]', '26 risks');

    await s.clickText('[role="tab"]', 'Assessments');
    await s.clickText('button', 'Record assessment');
    await s.fill('Performed on', '2099-01-01');
    await s.fill('Participants', 'CTO, Ops lead, Head of Finance');
    await s.clickText('aside button', 'Record assessment');
    await s.waitFor('the date error', async () => (await s.fieldError('Performed on')) !== '');
    assert.equal(await s.fieldError('Performed on'), 'An assessment cannot be recorded before it happens.');
    await s.fill('Performed on', '2026-06-30');
    await s.clickText('aside button', 'Record assessment');
    await s.waitForText('section h2', 'Assessment of 2026-06-30');

    // Re-rate one risk after the assessment: the recorded one does not change.
    await s.clickText('[role="tab"]', 'Register');
    await s.type(await s.find('input[aria-label="Search risks"]'), 'phishing');
    await s.waitForText('[data-testid="risks-count"]', '1 risk');
    await s.clickText('table[aria-label="Risks"] tbody button', 'RISK-001');
    await s.clickText('button', 'Edit');
    await s.select('Treatment', 'mitigate');
    await s.select('Residual likelihood', '2');
    await s.select('Residual impact', '2');
    await s.clickText('button', 'Save changes');
    await s.waitFor('the residual rating', async () => (await s.exec(`return document.querySelector('[data-testid="residual"] .score-tag')?.textContent ?? ''`)) === '4 · Low');

    await s.clickText('button', '← All risks');
    await s.clickText('[role="tab"]', 'Assessments');
    await s.clickText('button', 'Record assessment');
    await s.fill('Performed on', '2026-11-26');
    await s.clickText('aside button', 'Record assessment');
    await s.waitForText('section h2', 'Assessment of 2026-11-26');
    await s.clickText('button', 'Compare');
    await s.waitForText('[data-testid="comparison-summary"]', '0 added · 0 removed · 1 changed · 25 unchanged');
    await s.waitForText('table[aria-label="Changed risks"] button', 'RISK-001 Staff credentials stolen through phishing');
    await shot(s, 'risk-assessment-compare');
    await s.clickText('button', 'View 2026-06-30');
    await s.waitForText('section h2', 'Assessment of 2026-06-30');
    const residual = await s.exec(
      `const row = [...document.querySelectorAll('table[aria-label="Risks as assessed"] tr')].find((r) => r.textContent.includes('RISK-001'));
       return row ? row.children[6].textContent.trim() : '';`,
    );
    assert.equal(residual, 'not rated', 'the June snapshot still shows the risk before treatment');
    // A correction to a recorded assessment is an amendment kept beside it; an empty one is refused.
    await s.clickText('button', 'Add amendment');
    await s.waitFor('the amendment error', async () => (await s.fieldError('Amendment')) !== '');
    await s.fill('Amendment', 'RISK-001 was assessed with the wrong owner; the IT lead owns it.');
    await s.clickText('button', 'Add amendment');
    await s.waitFor('the amendment kept', async () =>
      (await s.exec(`return document.querySelector('ol[aria-label="Amendments"]')?.textContent ?? ''`)).includes('the IT lead owns it'),
    );
    await shot(s, 'risk-assessment-amended');
  });
});

/** The date `months` calendar months before today, as YYYY-MM-DD (local time, like the app). */
/** The day `n` days before today, YYYY-MM-DD (local time, as the app's clock). */
function daysAgo(n) {
  const d = new Date();
  d.setDate(d.getDate() - n);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function monthsAgo(months) {
  const d = new Date();
  d.setDate(1); // avoid 31 March - 1 month = 3 March
  d.setMonth(d.getMonth() - months);
  const last = new Date(d.getFullYear(), d.getMonth() + 1, 0).getDate();
  d.setDate(Math.min(new Date().getDate(), last));
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

test('a critical vendor with a Type II report: one user entity control linked, the other flagged; an old period turns it stale', async () => {
  const db = workspace();
  await withApp('vendors', db, async (s) => {
    await s.clickText('nav button', 'Controls');
    await s.clickText('button', 'Add the starter controls');
    await s.waitForText('[data-testid="controls-count"]', '94 controls');

    await s.clickText('nav button', 'Vendors');
    await s.clickText('button', 'Add the first vendor');
    await s.fill('Name', 'Okta');
    await s.fill('Service provided', 'Single sign-on and MFA for staff');
    await s.select('Criticality', 'critical');
    await s.select('Data they access', 'personal_data');
    await s.click(await s.field('Security clause'));
    await s.clickText('button', 'Save vendor');
    await s.waitFor('the vendor page', async () => (await s.exec(`return document.querySelector('h1')?.textContent ?? ''`)) === 'Okta');
    await s.waitForText('[data-testid="report-status"] .tag', 'Missing');

    // The worksheet: a period that has not ended is refused next to the field.
    await s.clickText('button', 'Add SOC 2 report');
    await s.fill('Period start', monthsAgo(14));
    await s.fill('Period end', '2099-12-31');
    await s.fill('Auditor firm', 'Example & Partners LLP');
    await s.clickText('button', 'Add user entity control');
    await s.clickText('button', 'Add user entity control');
    await s.type(await s.find('input[aria-label="User entity control 1"]'), 'Customers enforce MFA for their own administrators.');
    await s.type(await s.find('input[aria-label="User entity control 2"]'), 'Customers review their user list every quarter.');
    const link = await s.find('select[aria-label="Our control for user entity control 1"]');
    const ac02 = await s.exec(`return [...arguments[0].options].find((o) => o.textContent.startsWith('AC-02'))?.value ?? ''`, {
      'element-6066-11e4-a52e-4f735466cecf': link,
    });
    assert.ok(ac02, 'AC-02 is offered');
    await s.exec(
      `arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', { bubbles: true }));`,
      { 'element-6066-11e4-a52e-4f735466cecf': link },
      ac02,
    );
    await s.clickText('button', 'Save report');
    await s.waitFor('the period end error', async () => (await s.fieldError('Period end')) !== '');
    assert.equal(await s.fieldError('Period end'), 'A report cannot cover a period that has not ended yet.');
    await s.fill('Period end', monthsAgo(2));
    await s.clickText('button', 'Save report');
    await s.waitForText('[data-testid="report-status"] .tag', 'Current');
    await s.waitForElement('[data-testid="cuec-unlinked"]');
    const linked = await s.exec(
      `return [...document.querySelectorAll('table[aria-label^="User entity controls"] tr')].map((r) => r.textContent.trim())`,
    );
    assert.ok(linked.some((t) => t.includes('enforce MFA') && t.includes('AC-02')), JSON.stringify(linked));
    assert.ok(linked.some((t) => t.includes('user list') && t.includes('Not covered')), JSON.stringify(linked));
    await s.waitForText('section[aria-label="Needs attention"] li', '1 complementary user entity control is not linked to one of our controls.');
    await shot(s, 'vendor-report');

    // Move the period end 13 months back: the vendor turns stale.
    await s.clickText('button', 'Edit worksheet');
    await s.fill('Period start', monthsAgo(25));
    await s.fill('Period end', monthsAgo(13));
    await s.clickText('button', 'Save report');
    await s.waitForText('[data-testid="report-status"] .tag', 'Stale');

    await s.clickText('button', '← All vendors');
    await s.waitForText('[data-testid="vendor-attention"] strong', '1 critical or high vendor needs attention');
    await s.waitForText('table[aria-label="Vendors"] [data-testid="report-status"] .tag', 'Stale');
    await shot(s, 'vendors-list');
    const csv = cli('--db', db, 'export', 'vendors', '--csv');
    assert.match(csv.split('\r\n')[1], /^Okta,Single sign-on and MFA for staff,,critical,personal_data,/);
  });
});

/** A workspace prepared through the CLI (before the app opens it): people and systems. */
function preparedWorkspace() {
  const db = workspace();
  const dir = join(db, '..');
  cli('--db', db, 'init', '--plain');
  writeFileSync(
    join(dir, 'people.csv'),
    'name,email,role,start_date\nAnn Archer,ann@acme.test,Engineer,2021-03-01\nBen Baker,ben@acme.test,Support,2022-05-09\nCleo Cole,cleo@acme.test,Finance,2023-09-18\nDan Dev,dan@acme.test,Engineer,2020-01-06\nLee Lead,lee@acme.test,CTO,2019-04-01\n',
  );
  cli('--db', db, 'import', 'people', join(dir, 'people.csv'));
  writeFileSync(join(dir, 'systems.csv'), 'name,criticality,mfa_enforced,role_based_access\nAWS production,critical,yes,yes\n');
  cli('--db', db, 'import', 'systems', join(dir, 'systems.csv'));
  return { db, dir };
}

test('record a training session for three people and see their status', async () => {
  const { db } = preparedWorkspace();
  await withApp('training', db, async (s) => {
    await s.clickText('nav button', 'Training');
    await s.clickText('button', 'Add the course');
    await s.clickText('button', 'Save course');
    await s.waitForText('[data-testid="training-summary"] .stat', '5 overdue');
    await s.clickText('button', 'Record a session');
    await s.fill('Completed on', '2099-01-01');
    for (const name of ['Ann Archer', 'Ben Baker', 'Cleo Cole']) await s.click(await s.field(`${name} overdue`));
    await s.clickText('button', 'Save session');
    await s.waitFor('the date error', async () => (await s.fieldError('Completed on')) !== '');
    assert.equal(await s.fieldError('Completed on'), 'Training cannot be recorded before it happens.');
    await s.fill('Completed on', monthsAgo(0));
    await s.clickText('button', 'Save session');
    await s.waitForText('[data-testid="training-summary"] .stat', '3 current');
    const rows = await s.exec(`return [...document.querySelectorAll('[data-testid="training-row"]')].map((r) => r.textContent)`);
    for (const name of ['Ann Archer', 'Ben Baker', 'Cleo Cole']) {
      assert.ok(rows.some((r) => r.includes(name) && r.includes('Current')), `${name} current in ${JSON.stringify(rows)}`);
    }
    assert.ok(rows.some((r) => r.includes('Dan Dev') && r.includes('Overdue')));
    await shot(s, 'training');
  });
  assert.match(cli('--db', db, 'training'), /^3 current, 0 due within 30 days, 2 overdue/);
});

test('import two access-list exports and see the difference; a list without usernames is refused', async () => {
  const { db, dir } = preparedWorkspace();
  writeFileSync(join(dir, 'q3.csv'), 'username,role\nann@acme.test,admin\nben@acme.test,developer\nold@acme.test,support\n');
  writeFileSync(join(dir, 'q4.csv'), 'Email;Role\nANN@acme.test ;admin\nben@acme.test;admin\ncleo@acme.test;billing\n');
  writeFileSync(join(dir, 'bad.csv'), 'id,team\n1,x\n');
  await withApp('access-review', db, async (s) => {
    await s.clickText('nav button', 'Access reviews');
    await s.clickText('button', 'Record the first review');
    await s.select('System', await s.exec(`return [...document.querySelector('#ar-system').options].find((o) => o.textContent === 'AWS production').value`));
    await s.fill('Performed on', monthsAgo(0));
    // Both lists are chosen in the system's dialog; the app reads them from where they are.
    await choose(s, 'ar-previous', join(dir, 'bad.csv'));
    await choose(s, 'ar-current', join(dir, 'q4.csv'), [join(dir, 'bad.csv')]);
    await s.clickText('button', 'Compare lists');
    await s.waitForText('ul[aria-label="Problems in the lists"] li', 'Previous export, line 1: No username column: name one of the columns username, user, login, email, account or name.');
    await choose(s, 'ar-previous', join(dir, 'q3.csv'), [join(dir, 'q4.csv')]);
    await s.clickText('button', 'Compare lists');
    await s.waitForText('[data-testid="diff-summary"]', '3 accounts before, 3 now: 1 added, 1 removed, 1 role changed, 1 unchanged.');
    const diff = await s.exec(
      `return [...document.querySelectorAll('table[aria-label="Account differences"] tbody tr')].map((r) => [...r.cells].map((c) => c.textContent.trim()).join(' | '))`,
    );
    assert.deepEqual(diff, [
      'cleo@acme.test | Added | billing',
      'old@acme.test | Removed | support',
      'ben@acme.test | Role changed | developer → admin',
    ]);
    await shot(s, 'access-review-diff');
    await s.fill('Findings', 'Ben promoted to admin: confirmed with the CTO. Old support account removed.');
    await s.clickText('button', 'Save review');
    await s.waitForText('[data-testid="reviews-count"]', '1 review');
    await s.waitForText('table[aria-label="Access reviews"] td', '3 (1 added, 1 removed, 1 role changes)');
  });
  assert.match(cli('--db', db, 'export', 'access_reviews', '--csv'), /AWS production,\d{4}-\d\d-\d\d,,,,3,3,Ben promoted/);
});

test('a change approved by its own author is refused next to the approver field', async () => {
  const { db } = preparedWorkspace();
  await withApp('changes', db, async (s) => {
    await s.clickText('nav button', 'Changes');
    await s.clickText('button', 'Add the first change');
    await s.fill('Title', 'Rotate the production database password');
    const idOf = (name) => s.exec(`return [...document.querySelector('#change-author').options].find((o) => o.textContent === arguments[0]).value`, name);
    const dan = await idOf('Dan Dev');
    await s.select('Author', dan);
    await s.select('Approver', dan);
    await s.fill('Deployed at', `${monthsAgo(0)} 10:30`);
    await s.clickText('button', 'Save change');
    await s.waitFor('the approver error', async () => (await s.fieldError('Approver')) !== '');
    assert.equal(await s.fieldError('Approver'), 'The approver must be someone other than the author: nobody approves their own change.');
    await shot(s, 'change-own-approval');
    assert.equal(cli('--db', db, 'changes').trim(), '', 'nothing was stored');
    await s.select('Approver', await idOf('Lee Lead'));
    await s.clickText('button', 'Save change');
    await s.waitForText('[data-testid="changes-count"]', '1 change');
    await s.waitForText('table[aria-label="Changes"] td', 'Rotate the production database password');
  });
});

test('plan the ransomware exercise with three people, move its date before it starts (a bad date refused), run every inject with notes, close it and export the after-action PDF', async () => {
  const { db } = preparedWorkspace();
  await withApp('tabletop', db, async (s) => {
    await s.clickText('nav button', 'Tabletop');
    await s.clickText('button', 'Plan the first exercise');
    const script = await s.exec(`return [...document.querySelector('#plan-script').options].find((o) => o.textContent.startsWith('Ransomware')).value`);
    await s.select('Script', script);
    await s.select('Facilitator', await s.exec(`return [...document.querySelector('#plan-facilitator').options].find((o) => o.textContent === 'Lee Lead').value`));
    for (const name of ['Ann Archer', 'Ben Baker', 'Cleo Cole']) await s.click(await s.field(name));
    await s.clickText('button', 'Plan exercise');
    await s.waitForText('[data-testid="exercise-status"]', 'Planned');
    // The plan moves before the run: a bad date is refused on its field, then the new date is
    // saved, and the history keeps the date before.
    await s.clickText('button', 'Edit plan');
    const planned = await s.exec(`return document.querySelector('#replan-date').value`);
    await s.type(await s.find('#replan-date'), '31/12/2026');
    await s.clickText('button', 'Save plan');
    await s.waitFor('the date refused', async () => (await s.fieldError('Date')) !== '');
    await s.type(await s.find('#replan-date'), daysFrom(7));
    await s.clickText('button', 'Save plan');
    await s.waitFor('the plan saved', async () => (await s.exec(`return document.querySelector('form[aria-label="Change the plan"]') === null`)));
    await s.waitFor('the history', async () =>
      (await s.exec(`return document.querySelector('[aria-label="Change history"]')?.textContent ?? ''`)).includes(`planned_on: ${planned} → ${daysFrom(7)}`),
    );
    await shot(s, 'exercise-plan-changed');
    await s.clickText('button', 'Start exercise');
    await s.waitForText('[data-testid="exercise-status"]', 'Running');
    const total = 6;
    for (let i = 1; i <= total; i++) {
      await s.waitForText('[data-testid="inject-count"]', `Inject ${i} of ${total}`);
      await s.type(await s.find('textarea[aria-label="Note"]'), `Decision on inject ${i}: owner named, gap logged`);
      await s.clickText('button', 'Add note');
      await s.waitFor(`note ${i}`, async () =>
        (await s.exec(`return document.querySelector('section[aria-label="Notes on this inject"] li')?.textContent ?? ''`)).includes(`inject ${i}:`),
      );
      await s.click(await s.find('button.cov-covered'));
      if (i === 1) await shot(s, 'exercise-run');
      if (i < total) await s.clickText('button', 'Next inject →');
    }
    for (const name of ['Ann Archer', 'Ben Baker', 'Cleo Cole']) {
      const box = await s.exec(
        `return [...document.querySelectorAll('section[aria-label="Attendance"] label')].find((l) => l.textContent.includes(arguments[0])).querySelector('input')`,
        name,
      );
      await s.click(box['element-6066-11e4-a52e-4f735466cecf']);
    }
    await s.fill('Strengths', 'Incident declared within minutes; clear lead.');
    await s.fill('Areas for improvement', 'No written ransom stance; build server never backed up.');
    await s.clickText('button', 'Save debrief');
    await s.fill('Corrective action', 'Write and approve a ransom payment stance');
    await s.select('Owner', await s.exec(`return [...document.querySelector('#ca-owner').options].find((o) => o.textContent === 'Lee Lead').value`));
    await s.fill('Due date', '2027-02-28');
    await s.clickText('button', 'Add corrective action');
    await s.waitForText('table[aria-label="Corrective actions"] td', 'Write and approve a ransom payment stance');
    await s.clickText('button', 'Complete exercise');
    await s.acceptPrompt();
    await s.waitForText('[data-testid="exercise-status"]', 'Completed');
    await s.clickText('button', 'Export after-action report (PDF)');
    await s.waitForElement('[data-testid="report-done"]', 20_000);
    await shot(s, 'exercise-completed');
    await s.clickText('nav button', 'Actions');
    await s.waitForText('table[aria-label="Actions"] td', 'Write and approve a ransom payment stance');
  });
  const pdf = readdirSync(SAVE_DIR).find((f) => f.startsWith('TTX-001-after-action') && f.endsWith('.pdf'));
  assert.ok(pdf, `the report was saved in ${SAVE_DIR}`);
  const text = execFileSync('pdftotext', [join(SAVE_DIR, pdf), '-'], { encoding: 'utf8' }).split(/\s+/).join(' ');
  for (const needle of ['After-action report', 'Ransomware locks the shared drive', 'Decision on inject 6: owner named, gap logged', 'Write and approve a ransom payment stance', 'Ann Archer', 'Incident declared within minutes']) {
    assert.ok(text.includes(needle), `${needle} in the PDF`);
  }
});

test('a malformed script file is refused with its line', async () => {
  const { db, dir } = preparedWorkspace();
  const broken = join(dir, 'broken.toml');
  writeFileSync(broken, 'format = "readyroom-tabletop/1"\ntitle = "Half a script"\nscenario = "test"\nsummary = "x"\nduration_minutes = soon\n');
  await withApp('tabletop-import', db, async (s) => {
    await s.clickText('nav button', 'Tabletop');
    await s.clickText('[role="tab"]', 'Scripts');
    await s.upload('Script file to import', broken);
    await s.waitFor('the problems', async () => (await s.exec(`return document.querySelector('ul[aria-label="Problems in the script"] li')?.textContent ?? ''`)).startsWith('Line 5: '));
    await shot(s, 'tabletop-import-error');
  });
  assert.ok(!cli('--db', db, 'tabletop', 'list').includes('Half a script'), 'nothing was imported');
});

test('build a two-inject script in the form (a missing field refused), run it, export it as TOML that re-imports identically', async () => {
  const { db } = preparedWorkspace();
  await withApp('script-editor', db, async (s) => {
    await s.clickText('nav button', 'Tabletop');
    await s.clickText('[role="tab"]', 'Scripts');
    await s.clickText('button', 'New script');
    await s.fill('Script title', 'Stolen admin session');
    await s.fill('Scenario', 'session_theft');
    await s.fill('Summary', 'An attacker replays a stolen admin session cookie.');
    await s.fill('Length in minutes', '40');
    await s.fill('What the exercise should show', 'Show we can revoke every session of one account quickly.');
    await s.select('Criteria it supports', 'CC7.4');
    await s.waitForText('ul[aria-label="Criteria it supports: chosen"] li .mono', 'CC7.4');
    await s.type(await s.find('#inject-0-title'), 'Logins from two countries');
    await s.type(await s.find('#inject-0-facts'), 'The admin console shows one session in Lisbon and in Singapore.');
    await s.click(await s.field('Incident lead'));
    await s.type(await s.find('#inject-0-questions'), 'Who can revoke the session?\nWho is told?');
    await s.type(await s.find('#inject-0-actions'), 'Revoke all sessions of the account.');
    await s.clickText('button', 'Add inject');
    await s.waitForElement('#inject-1-title');
    assert.equal(await s.exec(`return document.querySelector('#inject-1-at').value`), '10');
    await s.type(await s.find('#inject-1-title'), 'An API key appears');
    await s.type(await s.find('#inject-1-facts'), 'A new API key was created two minutes after the replayed login.');
    await s.type(await s.find('#inject-1-questions'), 'What else could the session have changed?');
    // Saved without the second inject's expected actions: refused next to that field.
    await s.clickText('button', 'Save script');
    await s.waitFor('the error at its field', async () => (await s.exec(`return document.querySelector('#inject-1-actions')?.getAttribute('aria-invalid')`)) === 'true');
    assert.match(await s.exec(`return document.querySelector('#inject-1-actions-error').textContent`), /needs at least one expected action/);
    await shot(s, 'script-editor-error');
    assert.ok(!cli('--db', db, 'tabletop', 'list').includes('Stolen admin session'), 'nothing was stored');
    await s.type(await s.find('#inject-1-actions'), 'Revoke the key and read the audit log.');
    // Moved up with the keyboard and back down with its button: the minutes stay in order.
    await s.exec(`document.querySelector('#inject-1-handle').focus()`);
    await s.cmd('POST', '/actions', { actions: [{ type: 'key', id: 'kb', actions: [{ type: 'keyDown', value: '\uE013' }, { type: 'keyUp', value: '\uE013' }] }] });
    await s.waitFor('the move', async () => (await s.exec(`return document.querySelector('#inject-0-title').value`)) === 'An API key appears');
    await s.click(await s.byText('li[aria-label="Inject 1"] button', 'Move down'));
    await s.waitFor('the move back', async () => (await s.exec(`return document.querySelector('#inject-0-title').value`)) === 'Logins from two countries');
    await shot(s, 'script-editor');
    await s.clickText('button', 'Save script');
    await s.waitForText('table[aria-label="Scripts"] td strong', 'Stolen admin session');
    // Run it: planned, started, both injects stepped through, completed.
    await s.click(await s.exec(`return [...document.querySelectorAll('table[aria-label="Scripts"] tr')].find((r) => r.textContent.includes('Stolen admin session')).querySelector('button')`).then((e) => Object.values(e)[0]));
    await s.select('Facilitator', await s.exec(`return [...document.querySelector('#plan-facilitator').options].find((o) => o.textContent === 'Lee Lead').value`));
    await s.click(await s.field('Ann Archer'));
    await s.clickText('button', 'Plan exercise');
    await s.waitForText('[data-testid="exercise-status"]', 'Planned');
    await s.clickText('button', 'Start exercise');
    await s.waitForText('[data-testid="inject-count"]', 'Inject 1 of 2');
    await s.waitForText('[data-testid="inject-title"]', 'Logins from two countries');
    await s.click(await s.find('button.cov-covered'));
    await s.clickText('button', 'Next inject →');
    await s.waitForText('[data-testid="inject-count"]', 'Inject 2 of 2');
    await s.waitForText('[data-testid="inject-title"]', 'An API key appears');
    await s.click(await s.find('button.cov-partly'));
    const attended = await s.exec(`return [...document.querySelectorAll('section[aria-label="Attendance"] label')].find((l) => l.textContent.includes('Ann Archer')).querySelector('input')`);
    await s.click(Object.values(attended)[0]);
    await s.fill('Strengths', 'Sessions revoked within minutes.');
    await s.clickText('button', 'Save debrief');
    await s.clickText('button', 'Complete exercise');
    await s.acceptPrompt();
    await s.waitForText('[data-testid="exercise-status"]', 'Completed');
    // Exported as TOML, then imported from that file.
    await s.clickText('nav button', 'Tabletop');
    await s.clickText('[role="tab"]', 'Scripts');
    const row = `[...document.querySelectorAll('table[aria-label="Scripts"] tr')].find((r) => r.textContent.includes('Stolen admin session'))`;
    // The screen loads its scripts again when it opens: wait for the row (the run once clicked
    // before they had arrived and found none).
    await s.waitFor('the script in the list', async () => (await s.exec(`return !!${row}`)) || null);
    await s.click(Object.values(await s.exec(`return [...${row}.querySelectorAll('button')].find((b) => b.textContent === 'Export')`))[0]);
    await s.waitFor('the exported file', () => readdirSync(SAVE_DIR).includes('stolen-admin-session.toml') || null);
    const exported = join(SAVE_DIR, 'stolen-admin-session.toml');
    await s.upload('Script file to import', exported);
    await s.waitFor('the second copy', async () => (await s.exec(`return [...document.querySelectorAll('table[aria-label="Scripts"] tr')].filter((r) => r.textContent.includes('Stolen admin session')).length`)) === 2);
  });
  const file = readFileSync(join(SAVE_DIR, 'stolen-admin-session.toml'), 'utf8');
  for (const needle of ['title = "Stolen admin session"', 'criteria = ["CC7.4"]', 'at_minutes = 10', 'targets = ["Incident lead"]']) {
    assert.ok(file.includes(needle), `${needle} in the exported file`);
  }
  const ids = cli('--db', db, 'tabletop', 'list').split('\n').filter((l) => l.includes('Stolen admin session')).map((l) => l.trim().split(/\s+/)[0]);
  assert.equal(ids.length, 2, 'the original and the imported copy');
  for (const id of ids) assert.equal(cli('--db', db, 'tabletop', 'export', id), file, `script ${id} exports the same file`);
});

test('a second launch brings the running window to the front and exits; a launch for another file says which', async () => {
  const db = workspace();
  // A session bus of its own, as a desktop session has (the launches meet on it).
  const [address, busPid] = execFileSync('dbus-daemon', ['--session', '--fork', '--print-address=1', '--print-pid=1'], { encoding: 'utf8' }).trim().split('\n');
  const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: address, READYROOM_DB: '', READYROOM_NO_KEYCHAIN: '1', XDG_DATA_HOME: DATA_HOME };
  delete env.READYROOM_MULTI_INSTANCE;
  const until = async (what, fn, timeout = 20_000) => {
    const end = Date.now() + timeout;
    while (!fn()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const names = () => execFileSync('dbus-send', ['--session', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.ListNames'], { env, encoding: 'utf8' });
  const first = spawn(APP, ['--db', db], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  first.stderr.on('data', (d) => (log += d));
  try {
    await until('the first app on the bus', () => names().includes('dev.readyroom.desktop.SingleInstance'));
    // The same workspace again: the launch exits at once, and the running app comes forward.
    const again = spawnSync(APP, ['--db', db], { env, timeout: 30_000, encoding: 'utf8' });
    assert.equal(again.status, 0, `the second launch exits cleanly: ${again.stderr}`);
    await until('the running app to hear it', () => log.includes('readyroom: launched again; the open window was brought to the front'));
    // Another workspace: the running app says which, so the page can tell how to switch.
    const other = join(dirname(db), 'beta.readyroom');
    const third = spawnSync(APP, ['--db', other], { env, timeout: 30_000, encoding: 'utf8' });
    assert.equal(third.status, 0, third.stderr);
    await until('the other file named', () => log.includes(`readyroom: launched again for ${other}; the open window was brought to the front`));
    assert.equal(first.exitCode, null, 'the first app still runs');
    assert.ok(!existsSync(other), 'the other launch created nothing');
  } finally {
    first.kill();
    process.kill(Number(busPid));
  }
});

test('record an incident, refuse to close it without a root cause, then close it with its timeline', async () => {
  const { db } = preparedWorkspace();
  // Yesterday: today's 09:45 is still in the future for a run before then.
  await withApp('incidents', db, async (s) => {
    await s.clickText('nav button', 'Incidents');
    await s.clickText('button', 'Record an incident');
    await s.fill('Title', 'Phishing email led to a mailbox takeover');
    await s.fill('Detected at', `${daysAgo(1)} 08:15`);
    await s.select('Severity', 'sev2');
    await s.select('Status', 'closed');
    await s.clickText('button', 'Save incident');
    await s.waitFor('the root cause error', async () => (await s.fieldError('Root cause')) !== '');
    assert.equal(await s.fieldError('Root cause'), 'Write the root cause before closing the incident.');
    assert.equal(await s.fieldError('Lessons learned'), 'Write the lessons learned before closing the incident.');
    assert.equal(cli('--db', db, 'incidents').trim(), '', 'nothing was stored');
    await s.select('Status', 'contained');
    await s.fill('Contained at', `${daysAgo(1)} 09:45`);
    await s.clickText('button', 'Save incident');
    await s.waitForText('[data-testid="to-contain"]', '1 h 30 min');
    await s.fill('When', `${daysAgo(1)} 08:20`);
    await s.fill('What happened', 'Password reset and sessions revoked');
    await s.clickText('button', 'Add to timeline');
    await s.waitForText('ol.timeline li .entry', `${daysAgo(1)} 08:20 Password reset and sessions revoked`);
    // The entry was typed at the wrong minute: corrected (a future time refused), the history keeps both.
    await s.click(await s.find(`button[aria-label="Correct timeline entry of ${daysAgo(1)} 08:20"]`));
    await s.type(await s.find('#fix-tl-at'), `${daysFrom(1)} 08:20`);
    await s.clickText('.modal button', 'Save correction');
    await s.waitFor('the future time refused', async () => (await s.exec(`return document.querySelector('#fix-tl-at-error')?.textContent ?? ''`)).includes('future'));
    await s.type(await s.find('#fix-tl-at'), `${daysAgo(1)} 08:25`);
    await s.clickText('.modal button', 'Save correction');
    await s.waitForText('ol.timeline li .entry', `${daysAgo(1)} 08:25 Password reset and sessions revoked`);
    await s.waitFor('the history', async () =>
      (await s.exec(`return document.querySelector('[aria-label="Change history"]')?.textContent ?? ''`)).includes(`on ${daysAgo(1)} 08:20: Password reset and sessions revoked`),
    );
    await shot(s, 'incident');
  });
  assert.match(cli('--db', db, 'incidents'), /INC-0001 +SEV2 +Contained/);
});

test('the dashboard names a critical system without MFA; an action is created from the finding; fixing the system makes the check pass', async () => {
  const db = workspace();
  const dir = join(db, '..');
  cli('--db', db, 'init', '--plain');
  writeFileSync(join(dir, 'systems.csv'), 'name,criticality,mfa_enforced,role_based_access\nOkta,critical,no,yes\n');
  cli('--db', db, 'import', 'systems', join(dir, 'systems.csv'));
  await withApp('dashboard', db, async (s) => {
    await s.clickText('nav button', 'Readiness');
    await s.waitForText('[data-testid="check-mfa"] .tag', 'Fail');
    assert.equal(await s.text(await s.find('[data-testid="check-mfa"] .reason')), 'Okta is critical and does not enforce MFA.');
    await s.click(await s.find('[data-testid="check-mfa"] .check-head'));
    await s.clickText('[data-testid="check-mfa"] button', 'Create remediation action');
    assert.equal(await s.value('Title'), 'Enforce MFA for every account on Okta');
    await s.clickText('button', 'Save action');
    await s.waitForText('.banner', 'Created the remediation action.').catch(() => {});
    await shot(s, 'dashboard');
    await s.clickText('[data-testid="check-mfa"] button', 'Okta');
    await s.waitFor('the system page', async () => (await s.exec(`return document.querySelector('h1')?.textContent ?? ''`)) === 'Okta');
    await s.clickText('button', 'Edit');
    await s.click(await s.field('MFA enforced'));
    await s.clickText('button', 'Save changes');
    await s.waitFor('the gap to go', async () => !(await s.exec(`return document.body.textContent`)).includes('MFA is not enforced'));
    await s.clickText('nav button', 'Readiness');
    await s.waitForText('[data-testid="check-mfa"] .tag', 'Pass');
    await s.clickText('button', 'Export report (PDF)');
    await s.waitForElement('[data-testid="report-done"]', 30_000);
    await s.clickText('nav button', 'Actions');
    await s.waitForText('table[aria-label="Actions"] td', 'Enforce MFA for every account on Okta');
  });
  const json = JSON.parse(cli('--db', db, 'check', '--json'));
  assert.equal(json.checks.find((c) => c.key === 'mfa').verdict, 'pass');
  const report = readdirSync(SAVE_DIR).find((f) => f.startsWith('readiness-') && f.endsWith('.pdf'));
  assert.ok(report, 'the readiness report was saved');
  const text = execFileSync('pdftotext', [join(SAVE_DIR, report), '-'], { encoding: 'utf8' }).split(/\s+/).join(' ');
  for (const needle of ['SOC 2 readiness report', 'MFA on critical systems', 'Enforce MFA for every account on Okta', 'Inherent risk']) {
    assert.ok(text.includes(needle), `${needle} in the report`);
  }
});

/** Today plus `days` (negative: before), as YYYY-MM-DD in local time, like the app. */
function daysFrom(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** A prepared workspace whose one system holds customer data at medium criticality (the
 *  access-review and logging checks apply to it all the same). */
function customerDataWorkspace() {
  const { db, dir } = preparedWorkspace();
  writeFileSync(join(dir, 'systems.csv'), 'name,criticality,holds_customer_data\nAWS production,medium,yes\n');
  cli('--db', db, 'import', 'systems', join(dir, 'systems.csv'));
  return { db, dir };
}

/** Sets a Type II profile through the Organization screen, its window from `start` to `end`. */
async function setTypeII(s, start, end) {
  await s.clickText('nav button', 'Organization');
  await s.fill('Organization name', 'Acme Analytics Ltd');
  await s.click(await s.field('Type II'));
  await s.fill('Observation window start', start);
  await s.fill('Observation window end', end);
  await s.clickText('button', 'Save profile');
  await s.waitForText('[data-testid="profile-status"]', 'Saved.');
}

test("withdrawing an access review's evidence fails the check for that window quarter; a withdrawal without a reason is refused", async () => {
  const { db, dir } = customerDataWorkspace();
  const start = daysFrom(-100);
  const reviewed = daysFrom(-80);
  writeFileSync(join(dir, 'before.csv'), 'username,role\nann@acme.test,admin\nben@acme.test,developer\n');
  writeFileSync(join(dir, 'after.csv'), 'username,role\nann@acme.test,admin\n');
  await withApp('access-review-evidence', db, async (s) => {
    await setTypeII(s, start, daysFrom(264));
    await s.clickText('nav button', 'Access reviews');
    await s.clickText('button', 'Record the first review');
    await s.select('System', await s.exec(`return [...document.querySelector('#ar-system').options].find((o) => o.textContent === 'AWS production').value`));
    await s.fill('Performed on', reviewed);
    await choose(s, 'ar-previous', join(dir, 'before.csv'));
    await choose(s, 'ar-current', join(dir, 'after.csv'), [join(dir, 'before.csv')]);
    await s.clickText('button', 'Compare lists');
    await s.waitForText('[data-testid="diff-summary"]', '2 accounts before, 1 now: 0 added, 1 removed, 0 role changed, 1 unchanged.');
    await s.clickText('button', 'Save review');
    const evidence = `return document.querySelector('table[aria-label="Evidence of this review"]')?.textContent ?? ''`;
    await s.waitFor('the export kept as evidence', async () => (await s.exec(evidence)).includes('after.csv'));

    // With its export as evidence, the review meets the window's first quarter.
    await s.clickText('nav button', 'Readiness');
    await s.waitForText('[data-testid="check-access_reviews"] .tag', 'Pass');

    await s.clickText('nav button', 'Access reviews');
    await s.clickText('table[aria-label="Access reviews"] button', reviewed);
    await s.clickText('table[aria-label="Evidence of this review"] button', 'Withdraw');
    await s.clickText('button', 'Withdraw evidence');
    await s.waitFor('the reason error', async () => (await s.fieldError('Why withdraw it')) !== '');
    assert.equal(await s.fieldError('Why withdraw it'), 'Reason is required.');
    await s.clickText('nav button', 'Readiness');
    await s.waitForText('[data-testid="check-access_reviews"] .tag', 'Pass');

    await s.clickText('nav button', 'Access reviews');
    await s.clickText('table[aria-label="Access reviews"] button', reviewed);
    await s.clickText('table[aria-label="Evidence of this review"] button', 'Withdraw');
    await s.fill('Why withdraw it', 'Wrong file: this export is of the staging account.');
    await s.clickText('button', 'Withdraw evidence');
    await s.waitFor('the withdrawn note', async () => (await s.exec(evidence)).includes('Wrong file: this export is of the staging account. · not counted'));
    await shot(s, 'access-review-withdrawn');

    await s.clickText('nav button', 'Readiness');
    await s.waitForText('[data-testid="check-access_reviews"] .tag', 'Fail');
    const reason = await s.text(await s.find('[data-testid="check-access_reviews"] .reason'));
    assert.match(reason, new RegExp(`^The access review of AWS production on ${reviewed} has no evidence, so the period ${start} to \\d{4}-\\d\\d-\\d\\d is not covered\\.$`));
    await s.waitFor('the exception on the dashboard', async () =>
      (await s.exec(`return document.querySelector('[data-testid="exceptions"]')?.textContent ?? ''`)).includes(`The access review of AWS production on ${reviewed} has no evidence`),
    );
    await shot(s, 'dashboard-exception');
  });
  const check = JSON.parse(cli('--db', db, 'check', '--json')).checks.find((c) => c.key === 'access_reviews');
  assert.equal(check.verdict, 'fail');
  const finding = check.findings.find((f) => f.failing);
  assert.equal(finding.period.start, start, 'the finding names the quarter it is about');
  // The evidence stays on record, withdrawn with its reason.
  const csv = cli('--db', db, 'export', 'access_reviews', '--csv');
  assert.match(csv, new RegExp(`AWS production,${reviewed},`));
});

test('record a management response to an exception and see it on the dashboard; an empty response is refused', async () => {
  const { db } = customerDataWorkspace();
  const start = daysFrom(-100);
  const missed = 'AWS production has no access review in the period';
  await withApp('exception-response', db, async (s) => {
    await setTypeII(s, start, daysFrom(264));
    await s.clickText('nav button', 'Readiness');
    const item = `[...document.querySelectorAll('[data-testid="exceptions"] li.exception')].find((li) => li.textContent.includes('${missed}'))`;
    await s.waitFor('the missed quarter among the exceptions', () => s.exec(`return !!${item}`));
    assert.ok((await s.exec(`return ${item}.textContent`)).includes('✗ No response yet'));
    await s.click(await s.pick(`return [...${item}.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Record a response')`));
    await s.waitForElement('form[aria-label="Exception response"]');
    await s.clickText('button', 'Save response');
    await s.waitFor('the response error', async () => (await s.fieldError('Management response')) !== '');
    assert.equal(await s.fieldError('Management response'), 'Management response is required.');
    await s.fill('Management response', 'The quarterly review was skipped while the team moved to SSO; it was done late in the next quarter.');
    await s.fill('Remediation', 'Reviews are now a recurring calendar task for the security lead, with a backup reviewer.');
    await s.select('Responded by', await s.exec(`return [...document.querySelector('#exception-by').options].find((o) => o.textContent === 'Lee Lead').value`));
    await s.clickText('button', 'Save response');
    await s.waitFor('the response on the dashboard', async () => (await s.exec(`return ${item}.textContent`)).includes('✓ Responded'));
    const text = await s.exec(`return ${item}.textContent`);
    assert.ok(text.includes('The quarterly review was skipped while the team moved to SSO'), text);
    assert.match(await s.text(await s.find('[data-testid="exceptions-count"]')), / · 1 with a response$/);
    await shot(s, 'dashboard-exception-response');
  });
  await withApp('exception-response-restart', db, async (s) => {
    await s.waitForText('h1', 'Readiness');
    await s.waitFor('the response kept', async () =>
      (await s.exec(`return document.querySelector('[data-testid="exceptions"]')?.textContent ?? ''`)).includes('The quarterly review was skipped while the team moved to SSO'),
    );
  });
  const exceptions = JSON.parse(cli('--db', db, 'exceptions', '--json'));
  const answered = exceptions.filter((x) => x.response !== null);
  assert.equal(answered.length, 1);
  assert.ok(answered[0].problem.startsWith(missed));
  assert.equal(answered[0].period.start, start);
  assert.equal(answered[0].response.responded_by.name, 'Lee Lead');
});

test('export the workspace archive encrypted with its own passphrase and rebuild it in a new workspace; a damaged archive and a wrong passphrase are refused and nothing is opened', async () => {
  const db = workspace();
  cli('--db', db, 'demo');
  const rebuilt = join(SAVE_DIR, 'picked.readyroom');
  await withApp('archive', db, async (s) => {
    const banner = (text) => s.exec(`return [...document.querySelectorAll('.banner')].some((b) => b.textContent.includes(arguments[0]))`, text);
    await s.waitForElement('.check .tag', 30_000);
    const counts = await s.exec(`return [...document.querySelectorAll('[data-testid="readiness-summary"] .count-box strong')].map((b) => b.textContent.trim())`);
    await s.clickText('.statusbar button', 'Export archive…');
    // Encrypted by default: a short passphrase is said on its field before any dialog.
    await s.fill('Archive passphrase', 'short');
    await s.fill('The same passphrase again', 'short');
    await s.clickText('button', 'Choose where to save…');
    await s.waitFor('the length rule', async () => (await s.fieldError('Archive passphrase')).includes('at least 10') || null);
    assert.equal(readdirSync(SAVE_DIR).filter((f) => f.endsWith('.readyroom-archive')).length, 0, 'nothing written');
    await s.fill('Archive passphrase', 'the archive passphrase');
    await s.fill('The same passphrase again', 'the archive passphrase');
    await shot(s, 'archive-export-dialog');
    await s.clickText('button', 'Choose where to save…');
    await s.waitFor('the archive written', () => banner('encrypted with its passphrase'), 30_000);
    const written = readdirSync(SAVE_DIR).find((f) => f.startsWith('acme-') && f.endsWith('.readyroom-archive'));
    assert.ok(written, 'the archive is in the chosen folder');
    assert.ok(!readFileSync(join(SAVE_DIR, written)).subarray(0, 2).equals(Buffer.from('PK')), 'not a readable zip');

    offer('picked.readyroom-archive', 'these are not the records you are looking for');
    await s.clickText('.statusbar button', 'Import archive…');
    await s.waitFor('the refusal', () => banner('is not a complete Readyroom archive'));
    assert.equal(await s.text(await s.find('[data-testid="workspace-path"]')), db, 'the workspace stays open');
    assert.ok(!existsSync(rebuilt), 'no workspace was written');
    await shot(s, 'archive-refused');

    offer('picked.readyroom-archive', readFileSync(join(SAVE_DIR, written)));
    await s.clickText('.statusbar button', 'Import archive…');
    // Its passphrase: a wrong one is said next to the field and nothing is built.
    await s.fill('Archive passphrase', 'not the archive passphrase');
    await s.clickText('button', 'Continue');
    await s.waitFor('the wrong passphrase', async () => (await s.fieldError('Archive passphrase')).includes('does not open') || null, 30_000);
    assert.ok(!existsSync(rebuilt), 'no workspace was written');
    await shot(s, 'archive-passphrase-wrong');
    await s.fill('Archive passphrase', 'the archive passphrase');
    await s.clickText('button', 'Continue');
    // Rebuilt encrypted under the archive's passphrase: its recovery key, shown once.
    const key = await s.text(await s.waitForElement('[data-testid="recovery-key"]', 60_000));
    assert.match(key, /^([0-9A-Z]{4}-){13}[0-9A-Z]{4}$/);
    await s.click(await s.field('I have kept the recovery key somewhere safe'));
    await s.clickText('button', 'Continue');
    await s.waitFor('the rebuilt workspace open', async () => (await s.text(await s.find('[data-testid="workspace-path"]'))) === rebuilt, 30_000);
    await s.waitForElement('.check .tag', 30_000);
    await s.waitFor('the same verdicts', async () =>
      JSON.stringify(await s.exec(`return [...document.querySelectorAll('[data-testid="readiness-summary"] .count-box strong')].map((b) => b.textContent.trim())`)) === JSON.stringify(counts),
    );
    await shot(s, 'archive-imported');
  });
  // The rebuilt workspace is encrypted under the archive's passphrase, with the same records.
  assert.notEqual(readFileSync(rebuilt).subarray(0, 15).toString('latin1'), 'SQLite format 3');
  const sealed = (...args) => execFileSync(CLI, args, { encoding: 'utf8', env: { ...process.env, READYROOM_PASSPHRASE: 'the archive passphrase' } });
  assert.equal(sealed('--db', rebuilt, 'check', '--json'), cli('--db', db, 'check', '--json'));
  assert.equal(sealed('--db', rebuilt, 'export', 'people', '--csv'), cli('--db', db, 'export', 'people', '--csv'));
});

test('import an access review CSV with an evidence file: a missing file is refused on its row, then the review and its evidence come in', async () => {
  const db = workspace();
  const dir = tempDir('readyroom-e2e-ar-');
  writeFileSync(join(dir, 'people.csv'), 'name,email\nRita Reviewer,rita@acme.test\n');
  writeFileSync(join(dir, 'systems.csv'), 'name,criticality\nGitHub,critical\n');
  cli('--db', db, 'import', 'people', join(dir, 'people.csv'));
  cli('--db', db, 'import', 'systems', join(dir, 'systems.csv'));
  const csv =
    'system,performed_on,reviewer_email,period_start,period_end,accounts_reviewed,accounts_changed,findings,evidence_files\n' +
    'GitHub,2026-10-02,rita@acme.test,2026-07-01,2026-09-30,14,2,Two leavers removed,lists/github-q3.csv\n';
  const list = 'username,role\nann,admin\nbo,developer\n';
  const importReviews = 'button[aria-label="Import access reviews from a CSV file or workbook"]';
  await withApp('access-review-csv', db, async (s) => {
    await s.clickText('nav button', 'Access reviews');
    await s.waitForText('h3', 'No access review yet');

    // The evidence file is not where the row says: that row is refused, nothing is written.
    offer('q3-reviews.csv', csv);
    await s.click(await s.find(importReviews));
    await s.waitForText('[role="dialog"] h3', 'q3-reviews.csv cannot be imported');
    const problems = await s.exec(
      `return [...document.querySelectorAll('table[aria-label="Import problems"] tbody tr')].map((r) => [...r.cells].map((c) => c.textContent.trim()));`,
    );
    assert.equal(problems.length, 1);
    assert.deepEqual(problems[0].slice(0, 2), ['2', 'evidence_files']);
    assert.match(problems[0][2], /^lists\/github-q3\.csv was not found/);
    await shot(s, 'access-review-csv-refused');
    await s.clickText('[role="dialog"] button', 'Close');
    await s.waitForText('h3', 'No access review yet');

    // With the list beside the CSV, the review comes in with its evidence.
    offer('q3-reviews.csv', csv, { 'lists/github-q3.csv': list });
    await s.click(await s.find(importReviews));
    await s.waitForText('[data-testid="import-summary"]', '1 new, 0 updated, 0 unchanged.');
    await shot(s, 'access-review-csv-ready');
    await s.clickText('[role="dialog"] button', 'Import');
    await s.waitForText('.banner span', 'Imported q3-reviews.csv: 1 created, 0 updated, 0 unchanged.');
    await s.waitForText('[data-testid="reviews-count"]', '1 review');
    await s.clickText('table[aria-label="Access reviews"] button', '2026-10-02');
    await s.waitForText('aside[aria-label="Access review"] button', 'github-q3.csv');
    await shot(s, 'access-review-csv-imported');
  });
  const stored = readdirSync(db.replace(/acme\.readyroom$/, 'acme.attachments'));
  assert.deepEqual(stored, [createHash('sha256').update(list).digest('hex')], 'stored under its SHA-256');
  assert.match(cli('--db', db, 'export', 'access_reviews'), /^GitHub,2026-10-02,rita@acme\.test,2026-07-01,2026-09-30,14,2,Two leavers removed,github-q3\.csv,,$/m);
});

test('record an exercise held last year without running it; the dashboard counts it from that day; a future date is refused', async () => {
  const { db } = preparedWorkspace();
  const heldOn = daysFrom(-350);
  const due = daysFrom(15);
  const irText = (s) => s.exec(`return document.querySelector('[data-testid="check-incident_response"]')?.textContent ?? ''`);
  await withApp('exercise-held', db, async (s) => {
    await s.clickText('nav button', 'Readiness');
    await s.waitForElement('[data-testid="check-incident_response"] .check-head');
    await s.click(await s.find('[data-testid="check-incident_response"] .check-head'));
    await s.waitFor('no exercise yet', async () => (await irText(s)).includes('No tabletop exercise has been held and completed.'));

    await s.clickText('nav button', 'Tabletop');
    await s.clickText('button', 'Plan the first exercise');
    const script = await s.exec(`return [...document.querySelector('#plan-script').options].find((o) => o.textContent.startsWith('Ransomware')).value`);
    await s.select('Script', script);
    for (const name of ['Ann Archer', 'Ben Baker']) await s.click(await s.field(name));
    await s.clickText('button', 'Plan exercise');
    await s.waitForText('[data-testid="exercise-status"]', 'Planned');
    await s.clickText('button', 'Record as already held');
    await s.fill('Held on', daysFrom(1));
    const attendee = await s.pick(`return [...document.querySelectorAll('form[aria-label="Exercise held"] label')].find((l) => l.textContent.includes('Ann Archer'))?.querySelector('input') ?? null`);
    await s.click(attendee);
    await s.type(await s.find('#held-hw-0'), 'We found the backup owner quickly.');
    await s.fill('Strengths', 'Clear roles and a calm lead.');
    await s.fill('Areas for improvement', 'Name a deputy for the backup owner.');
    await s.clickText('button', 'Record as held');
    await s.waitFor('the date error', async () => (await s.fieldError('Held on')) !== '');
    assert.equal(await s.fieldError('Held on'), 'An exercise cannot be recorded as held before the day it happens.');
    assert.equal(await s.text(await s.find('[data-testid="exercise-status"]')), 'Planned', 'nothing recorded');

    await s.fill('Held on', heldOn);
    await s.clickText('button', 'Record as held');
    await s.waitForText('[data-testid="exercise-status"]', 'Completed');
    assert.match(await s.text(await s.find('[data-testid="recorded-afterwards"]')), /^\(recorded afterwards, on \d{4}-\d\d-\d\d\)$/);
    await shot(s, 'exercise-recorded-afterwards');

    await s.clickText('nav button', 'Readiness');
    await s.waitForElement('[data-testid="check-incident_response"] .check-head');
    if (!(await irText(s)).includes('due on')) await s.click(await s.find('[data-testid="check-incident_response"] .check-head'));
    await s.waitFor('the exercise counted from the day it was held', async () => (await irText(s)).includes(`The next tabletop exercise is due on ${due}`));
    assert.ok(!(await irText(s)).includes('No tabletop exercise has been held'));
  });
  const ir = JSON.parse(cli('--db', db, 'check', '--json')).checks.find((c) => c.key === 'incident_response');
  assert.ok(ir.findings.some((f) => f.problem === `The next tabletop exercise is due on ${due}`), JSON.stringify(ir.findings));
});

test('first start offers the demo company; its dashboard shows a mix of verdicts and the report prints', async () => {
  const db = workspace();
  let counts = [];
  await withApp(
    'demo',
    db,
    async (s) => {
      await s.waitForText('.welcome h1', 'Welcome to Readyroom');
      await shot(s, 'welcome');
      await s.clickText('button', 'Explore the demo company');
      await s.waitForText('h1', 'Readiness', 30_000);
      await s.waitForElement('.check .tag', 30_000);
      const verdicts = await s.exec(`return [...document.querySelectorAll('.check .tag')].map((t) => t.textContent.trim())`);
      for (const v of ['Pass', 'Fail', 'Due soon']) assert.ok(verdicts.includes(v), `${v} among ${verdicts}`);
      await s.waitForText('[data-testid="check-mfa"] .reason', 'GitHub holds customer data and does not enforce MFA.');
      counts = await s.exec(`return [...document.querySelectorAll('[data-testid="readiness-summary"] .count-box strong')].map((b) => b.textContent.trim())`);
      await shot(s, 'demo-dashboard');
      await s.clickText('button', 'Export report (PDF)');
      await s.waitForElement('[data-testid="report-done"]', 30_000);
    },
    { keepWelcome: true },
  );
  const pdf = readdirSync(SAVE_DIR).find((f) => f.startsWith('Northwind-Analytics-demo-readiness-') && f.endsWith('.pdf'));
  assert.ok(pdf, 'the demo report was saved');
  const text = execFileSync('pdftotext', [join(SAVE_DIR, pdf), '-'], { encoding: 'utf8' }).split(/\s+/).join(' ');
  // The dashboard shows failing, due soon, passing, not applicable; the report says the same.
  const [fail, warn, pass, na] = counts;
  assert.ok(text.includes(`${pass} checks pass, ${warn} due soon, ${fail} fail, ${na} not applicable`), `verdict counts ${counts}`);
  for (const needle of ['SOC 2 readiness report: Northwind Analytics (demo)', 'GitHub holds customer data and does not enforce MFA.', 'Residual risk', 'Amazon Web Services']) {
    assert.ok(text.includes(needle), `${needle} in the report`);
  }
  const info = execFileSync('pdfinfo', [join(SAVE_DIR, pdf)], { encoding: 'utf8' });
  assert.match(info, /Pages:\s+([4-9]|\d\d)/);
});

test('export the auditor binder from the app for the window and verify it with the CLI; a bad date is refused on its field', async () => {
  const dir = tempDir('readyroom-e2e-binder-');
  const db = join(dir, 'acme.readyroom');
  cli('--db', db, 'demo');
  for (const f of readdirSync(SAVE_DIR)) if (f.startsWith('auditor-binder-')) rmSync(join(SAVE_DIR, f));
  await withApp('binder', db, async (s) => {
    await s.waitForElement('.check .tag', 30_000);
    await s.clickText('button', 'Auditor binder…');
    await s.waitForElement('aside[aria-label="Auditor binder"]');
    await s.waitFor('the window proposed', async () => (await s.exec(`return document.querySelector('#binder-from')?.value ?? ''`)) !== '');
    const from = await s.exec(`return document.querySelector('#binder-from').value`);
    // A day that does not exist: refused next to the field, nothing written.
    await s.fill('To', '2026-02-30');
    await s.clickText('aside button', 'Export binder');
    await s.waitFor('the date error', async () => (await s.fieldError('To')) !== '');
    assert.match(await s.fieldError('To'), /YYYY-MM-DD/);
    assert.deepEqual(readdirSync(SAVE_DIR).filter((f) => f.startsWith('auditor-binder-')), []);
    await shot(s, 'binder-bad-date');

    await s.fill('To', '2026-11-20');
    await s.clickText('aside button', 'Export binder');
    await s.waitFor('the binder written', () =>
      s.exec(`return [...document.querySelectorAll('.banner')].some((b) => b.textContent.includes('Wrote the auditor binder'))`),
    30_000);
    await shot(s, 'binder-written');
    const written = readdirSync(SAVE_DIR).filter((f) => f.startsWith('auditor-binder-'));
    assert.deepEqual(written, [`auditor-binder-${from}-to-2026-11-20.zip`]);
  });
  const zip = join(SAVE_DIR, readdirSync(SAVE_DIR).find((f) => f.startsWith('auditor-binder-')));
  assert.match(cli('binder', 'verify', zip), /entries match the manifest/);
});

test("import the auditor's request list from .xlsx with its columns mapped, link evidence to a request, export the binder and verify it with the CLI", async () => {
  const dir = tempDir('readyroom-e2e-requests-');
  const db = join(dir, 'acme.readyroom');
  cli('--db', db, 'demo');
  for (const f of readdirSync(SAVE_DIR)) if (f.startsWith('auditor-binder-')) rmSync(join(SAVE_DIR, f));
  offer('auditor-requests.xlsx', readFileSync(join(ROOT, 'crates/core/tests/fixtures/auditor-requests.xlsx')));
  const setColumn = (s, header, column) =>
    s.exec(
      `const sel = document.querySelector('select[aria-label="Read ' + arguments[0] + ' as"]');
       sel.value = arguments[1];
       sel.dispatchEvent(new Event('change', { bubbles: true }));`,
      header,
      column,
    );
  await withApp('requests', db, async (s) => {
    await s.clickText('nav button', 'Auditor requests');
    await s.waitForText('h1', 'Auditor requests');
    await s.clickText('button', 'Import…');
    await s.waitForText('.import-report h3', 'Which column of auditor-requests.xlsx holds what?');
    await shot(s, 'requests-mapping');
    // Two headings read as one column: said next to the column, and the check cannot run.
    await setColumn(s, 'Priority', 'description');
    await s.waitFor('the clash', () =>
      s.exec(`return [...document.querySelectorAll('.import-report td .field-error')].some((e) => e.textContent.includes('Another heading is read as description'))`),
    );
    assert.equal(await s.exec(`return [...document.querySelectorAll('.import-report button')].find((b) => b.textContent.trim() === 'Check the file').disabled`), true);
    await setColumn(s, 'Priority', '');
    await s.clickText('.import-report button', 'Check the file');
    await s.waitForText('[data-testid="import-summary"]', '3 new, 0 updated, 0 unchanged.', 20_000);
    await s.clickText('.import-report button', 'Import');
    await s.waitFor('the imported requests', () =>
      s.exec(`return [...document.querySelectorAll('table[aria-label="Requests"] tbody tr')].length === 8`),
    20_000);
    await shot(s, 'requests-list');

    // PBC-101 asks for access reviews: accept a suggestion, then link evidence found by search.
    await s.clickText('table[aria-label="Requests"] button', 'PBC-101');
    await s.waitForElement('section[aria-label="Suggestions"] li');
    await s.click(await s.waitForElement('section[aria-label="Suggestions"] li button'));
    await s.waitFor('a linked item', () => s.exec(`return document.querySelectorAll('table[aria-label="Linked items"] tbody tr').length === 1`));
    await s.type(await s.waitForElement('input[aria-label="Search evidence"]'), 'access');
    await s.clickText('section[aria-label="Find evidence"] button', 'Search');
    await s.click(await s.waitForElement('table[aria-label="Evidence found"] tbody tr button.btn'));
    await s.waitFor('the evidence linked', () => s.exec(`return document.querySelectorAll('table[aria-label="Linked items"] tbody tr').length === 2`));
    await shot(s, 'request-detail');

    await s.clickText('nav button', 'Readiness');
    await s.waitForElement('.check .tag', 30_000);
    await s.clickText('button', 'Auditor binder…');
    await s.waitForElement('aside[aria-label="Auditor binder"]');
    await s.waitFor('the window proposed', async () => (await s.exec(`return document.querySelector('#binder-from')?.value ?? ''`)) !== '');
    await s.clickText('aside button', 'Export binder');
    await s.waitFor('the binder written', () =>
      s.exec(`return [...document.querySelectorAll('.banner')].some((b) => b.textContent.includes('Wrote the auditor binder'))`),
    30_000);
  });
  const zip = join(SAVE_DIR, readdirSync(SAVE_DIR).find((f) => f.startsWith('auditor-binder-')));
  assert.match(cli('binder', 'verify', zip), /entries match the manifest/);
  // Entry names are stored as they are in the zip's directory.
  const bytes = readFileSync(zip).toString('latin1');
  for (const entry of ['requests/request_list.csv', 'requests/PBC-101/request.csv', 'manifest.json']) {
    assert.ok(bytes.includes(entry), `${entry} in the binder`);
  }
});

/** Elements of the screen that run past their container's right edge (a table, meant to
 *  scroll inside its pane, does not count; text cut with an ellipsis does not either). */
function overflowing(s) {
  return s.exec(`
    const out = [];
    const inTable = (e) => !!e.closest('table');
    for (const el of document.querySelectorAll('.shell *')) {
      if (inTable(el) || el.clientWidth === 0 || el.scrollWidth <= el.clientWidth + 1) continue;
      const st = getComputedStyle(el);
      if (st.textOverflow === 'ellipsis') continue;
      const right = el.getBoundingClientRect().left + el.clientWidth + 1;
      const past = [...el.querySelectorAll('*')].find((d) => !inTable(d) && d.tagName !== 'TABLE' && d.getClientRects().length > 0 && d.getBoundingClientRect().right > right && !d.closest('.sr-only'));
      if (past) out.push(el.tagName.toLowerCase() + '.' + [...el.classList].join('.') + ' holds ' + past.tagName.toLowerCase() + '.' + [...past.classList].join('.') + ' "' + (past.textContent || '').trim().slice(0, 40) + '"');
    }
    return out;`);
}

test('the home screen says where the audit stands and what to do this week; actions for all findings are made once; nothing overflows at 1024 or 1440 wide', async () => {
  const dir = tempDir('readyroom-e2e-home-');
  const db = join(dir, 'acme.readyroom');
  cli('--db', db, 'demo');
  await withApp('home', db, async (s) => {
    await s.waitForElement('[data-testid="headline-text"]', 30_000);
    assert.match(await s.text(await s.find('[data-testid="headline-text"]')), /^Not ready: \d+ of \d+ checks fail; the observation window ends in \d+ days$/);
    const week = await s.exec(`return [...document.querySelectorAll('[data-testid="week-item"]')].map((e) => e.textContent)`);
    assert.ok(week.length > 0 && week.some((w) => w.includes('MFA on critical systems')), `this week: ${week}`);
    // The navigation counts what the checks find overdue.
    await s.waitForElement('[data-testid="nav-count-controls"]');
    const actionCount = async () => {
      await s.clickText('nav button', 'Actions');
      const text = await s.text(await s.waitForElement('[data-testid="actions-count"]', 20_000));
      await s.clickText('nav button', 'Readiness');
      await s.waitForElement('[data-testid="this-week"]', 30_000);
      return Number(text.split(' ')[0]);
    };
    const before = await actionCount();
    const banner = () => s.exec(`return [...document.querySelectorAll('.banner')].map((b) => b.textContent).join(' | ')`);
    await s.clickText('button', 'Create actions for all findings');
    await s.waitFor('the created actions', async () => /Created \d+ actions/.test(await banner()), 30_000);
    const made = Number((await banner()).match(/Created (\d+) actions/)[1]);
    assert.ok(made > 0);
    // Again: every finding already has its open action, so nothing new.
    await s.exec(`document.querySelectorAll('.banner-close').forEach((b) => b.click())`);
    await s.clickText('button', 'Create actions for all findings');
    await s.waitFor('the refusal to duplicate', async () => (await banner()).includes('No new actions: every finding already has an open action.'), 30_000);
    for (const [w, h] of [[1024, 700], [1440, 900]]) {
      await s.cmd('POST', '/window/rect', { x: 0, y: 0, width: w, height: h });
      await new Promise((r) => setTimeout(r, 300));
      for (const area of ['Readiness', 'Controls', 'Actions']) {
        await s.clickText('nav button', area);
        await s.waitForElement('h1');
        await new Promise((r) => setTimeout(r, 300));
        assert.deepEqual(await overflowing(s), [], `${area} at ${w} wide`);
      }
    }
    assert.equal(await actionCount(), before + made, 'one action per finding, and none twice');
    await shot(s, 'home');
  });
});

/** What is wrong with the layout on screen: anything overflowing its container, a search box
 *  squeezed below a usable width, buttons of one header row in different heights, or a filter
 *  label or header button broken over two lines ("Show / archived"). */
async function layoutProblems(s) {
  const problems = await overflowing(s);
  const narrow = await s.exec(`
    return [...document.querySelectorAll('input.search, input[type="search"]')]
      .filter((e) => e.getClientRects().length > 0 && e.getBoundingClientRect().width < 140)
      .map((e) => 'search box "' + (e.getAttribute('aria-label') || '') + '" is ' + Math.round(e.getBoundingClientRect().width) + 'px wide');`);
  const heights = await s.exec(`
    return [...document.querySelectorAll('.page-actions')].flatMap((row) => {
      const hs = [...row.querySelectorAll(':scope > .btn, :scope > * > .btn')].filter((b) => b.getClientRects().length > 0).map((b) => Math.round(b.getBoundingClientRect().height));
      return new Set(hs).size > 1 ? ['header buttons of heights ' + [...new Set(hs)].join(', ')] : [];
    });`);
  const wrapped = await s.exec(`
    return [...document.querySelectorAll('.toolbar label, .page-actions .btn')]
      .filter((e) => {
        if (e.getClientRects().length === 0) return false;
        const st = getComputedStyle(e);
        const inner = e.getBoundingClientRect().height - ['paddingTop', 'paddingBottom', 'borderTopWidth', 'borderBottomWidth'].reduce((n, k) => n + parseFloat(st[k]), 0);
        return inner > 1.5 * parseFloat(st.lineHeight);
      })
      .map((e) => 'wraps onto two lines: "' + e.textContent.trim().slice(0, 30) + '"');`);
  return [...problems, ...narrow, ...heights, ...wrapped];
}

test("correct a log review's date and see the logging check pass; withdraw a wrongly recorded disposal with a reason and see it struck through and in its history; an empty reason and a future date are refused", async () => {
  const db = workspace();
  const dir = join(db, '..');
  cli('--db', db, 'init', '--plain');
  const wrong = daysFrom(-70);
  const right = daysFrom(-3);
  const disposed = daysFrom(-10);
  writeFileSync(join(dir, 'systems.csv'), 'name,criticality,holds_customer_data,logs_forwarded,alerting\nAWS production,critical,yes,yes,yes\n');
  writeFileSync(join(dir, 'review.txt'), 'alerts triaged\n');
  writeFileSync(join(dir, 'log_reviews.csv'), `system,performed_on,notes,evidence_files\nAWS production,${wrong},Alerts triaged,review.txt\n`);
  writeFileSync(join(dir, 'retention.csv'), 'name,retention_value,retention_unit,disposal_cadence\nSupport tickets,12,months,annual\n');
  writeFileSync(join(dir, 'disposals.csv'), `data_type,performed_on,what\nSupport tickets,${disposed},Tickets closed before last year\n`);
  for (const register of ['systems', 'log_reviews', 'retention', 'disposals']) cli('--db', db, 'import', register, join(dir, `${register}.csv`));
  const history = `return document.querySelector('[aria-label="Change history"]')?.textContent ?? ''`;
  await withApp('corrections', db, async (s) => {
    // The review was typed with the wrong month: the logging check fails.
    await s.clickText('nav button', 'Readiness');
    await s.waitForText('[data-testid="check-logging"] .tag', 'Fail');

    await s.clickText('nav button', 'Systems');
    await s.clickText('table[aria-label="Systems"] button', 'AWS production');
    await s.click(await s.waitForElement(`button[aria-label="Correct log review of ${wrong}"]`));
    const date = await s.waitForElement('#fix-log-date');
    assert.equal(await s.exec(`return document.querySelector('#fix-log-date').value`), wrong, 'the dialog opens on the stored values');
    await s.type(date, daysFrom(5));
    await s.clickText('.modal button', 'Save correction');
    await s.waitFor('the future date refused', async () => (await s.exec(`return document.querySelector('#fix-log-date-error')?.textContent ?? ''`)) !== '');
    await shot(s, 'log-review-correct-refused');
    await s.type(date, right);
    await s.clickText('.modal button', 'Save correction');
    await s.waitFor('the dialog to close', async () => (await s.exec(`return document.querySelector('.modal') === null`)));
    await s.waitForText('table[aria-label="Log reviews"] td', right);
    await s.waitFor('the old date in the history', async () => (await s.exec(history)).includes(`on ${wrong}: Alerts triaged → on ${right}: Alerts triaged`));
    // The entry names who made the correction: the computer account running the app.
    assert.match(await s.exec(`return [...document.querySelectorAll('[aria-label="Change history"] li')].find((l) => l.textContent.includes(arguments[0]))?.querySelector('.history-who')?.textContent ?? ''`, `on ${wrong}: Alerts triaged`), /^by ops-lead$/);
    await shot(s, 'log-review-corrected');
    await s.clickText('nav button', 'Readiness');
    await s.waitForText('[data-testid="check-logging"] .tag', 'Pass');

    // The disposal was recorded against the wrong data type: withdraw it, with a reason.
    await s.clickText('nav button', 'Retention');
    await s.clickText('table[aria-label="Retention schedule"] button', 'Support tickets');
    await s.click(await s.waitForElement(`button[aria-label="Withdraw disposal of ${disposed}"]`));
    await s.clickText('.modal button', 'Withdraw');
    await s.waitFor('the reason error', async () => (await s.fieldError('Reason')) !== '');
    assert.equal(await s.fieldError('Reason'), 'Reason is required.');
    await shot(s, 'disposal-withdraw-refused');
    await s.fill('Reason', 'Recorded against the wrong data type');
    await s.clickText('.modal button', 'Withdraw');
    const row = `return document.querySelector('table[aria-label="Disposal records"] tr.withdrawn')?.textContent ?? ''`;
    await s.waitFor('the row struck through', async () => (await s.exec(row)).includes('Recorded against the wrong data type'));
    assert.equal(
      await s.exec(`return getComputedStyle(document.querySelector('table[aria-label="Disposal records"] tr.withdrawn td')).textDecorationLine`),
      'line-through',
    );
    await s.waitFor('the withdrawal in the history', async () =>
      (await s.exec(history)).includes(`on ${disposed}: Tickets closed before last year → withdrawn: Recorded against the wrong data type`),
    );
    await shot(s, 'disposal-withdrawn');
  });
  assert.equal(JSON.parse(cli('--db', db, 'check', '--json')).checks.find((c) => c.key === 'logging').verdict, 'pass');
  // Kept in the workspace, out of the export.
  assert.doesNotMatch(cli('--db', db, 'export', 'disposals', '--csv'), /Tickets closed before last year/);
});

test('attach a 200 MB evidence file to a log review: read by the app from where it is, copied with a progress bar, stored under its SHA-256', async () => {
  const { db, dir } = customerDataWorkspace();
  // 200 MB that is not all one byte, written in pieces.
  const piece = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < piece.length; i++) piece[i] = (i * 31) % 251;
  for (const f of readdirSync(OPEN_DIR)) rmSync(join(OPEN_DIR, f), { recursive: true, force: true });
  const big = join(OPEN_DIR, 'siem-export-2026-11.log');
  const hash = createHash('sha256');
  writeFileSync(big, '');
  for (let i = 0; i < 200; i++) {
    appendFileSync(big, piece);
    hash.update(piece);
  }
  const sha = hash.digest('hex');
  await withApp('large-evidence', db, async (s) => {
    await s.clickText('nav button', 'Systems');
    await s.clickText('table[aria-label="Systems"] button', 'AWS production');
    await s.fill('Performed on', daysFrom(-1));
    await s.click(await s.find('#log-file'));
    await s.waitForText('[data-testid="log-file-chosen"]', 'siem-export-2026-11.log (200.0 MB)');
    // Watch for the progress bar: it comes and goes while the file is copied.
    await s.exec(`window.__progress = [];
      new MutationObserver(() => {
        const bar = document.querySelector('[data-testid="job-panel"] progress');
        if (bar) window.__progress.push([document.querySelector('[data-testid="job-panel"] .job-title').textContent, Number(bar.value)]);
      }).observe(document.body, { childList: true, subtree: true, attributes: true });`);
    await s.clickText('button', 'Record log review');
    await s.waitForText('table[aria-label="Log reviews"] button', 'siem-export-2026-11.log', 60_000);
    const seen = await s.exec('return window.__progress');
    assert.ok(seen.length > 0, 'the progress bar showed');
    assert.equal(seen[0][0], 'Copying siem-export-2026-11.log');
    assert.ok(seen.some(([, v]) => v > 0 && v < 100), `it moved: ${JSON.stringify(seen.slice(0, 5))}…`);
    await s.waitFor('the bar to go', async () => s.exec(`return document.querySelector('[data-testid="job-panel"]') === null`));
    await shot(s, 'large-evidence');
  });
  const stored = readdirSync(db.replace(/acme\.readyroom$/, 'acme.attachments'));
  assert.deepEqual(stored, [sha], 'stored once, under its SHA-256, nothing else left');
  assert.equal(statSync(join(db, '..', 'acme.attachments', sha)).size, 200 * 1024 * 1024);
  const csv = cli('--db', db, 'export', 'log_reviews', '--csv');
  assert.match(csv, /siem-export-2026-11\.log/);
});

test('every screen fits from 1024x700 to 1920x1080: nothing overflows, search boxes keep their width, header buttons match; each is kept as a picture', async () => {
  const dir = tempDir('readyroom-e2e-screens-');
  const db = join(dir, 'acme.readyroom');
  cli('--db', db, 'demo');
  const screens = join(ARTIFACTS, 'screens');
  mkdirSync(screens, { recursive: true });
  await withApp('screens', db, async (s) => {
    await s.waitForElement('[data-testid="headline"]', 30_000);
    const areas = await s.exec(`return [...document.querySelectorAll('nav button.nav-item')].map((b) => b.textContent.trim())`);
    assert.ok(areas.length >= 19, `the sidebar lists every area: ${areas}`);
    const seen = [];
    const look = async (name, w) => {
      await new Promise((r) => setTimeout(r, 350));
      seen.push(`${name}-${w}`);
      assert.deepEqual(await layoutProblems(s), [], `${name} at ${w} wide`);
      const file = join(screens, `${name}-${w}.png`);
      await s.screenshot(file);
      execFileSync('convert', [file, '-crop', `${w}x${size[w]}+0+0`, '+repage', file]);
    };
    const size = { 1024: 700, 1440: 900, 1920: 1080 };
    for (const [w, h] of Object.entries(size).map(([w, h]) => [Number(w), h])) {
      await s.cmd('POST', '/window/rect', { x: 0, y: 0, width: w, height: h });
      await new Promise((r) => setTimeout(r, 400));
      for (const area of areas) {
        await s.clickText('nav button', area);
        await s.waitForElement('h1');
        // Lists fill in after the heading: wait for the first row, or the empty state.
        await s.waitFor(`${area} to load`, () => s.exec(`return !document.querySelector('.loading') || null`), 20_000);
        const slug = area.toLowerCase().replace(/[^a-z]+/g, '-');
        await look(slug, w);
        // The record screen of areas that have one: the first record in the list.
        const opened = await s.exec(`
          const b = document.querySelector('.split-main table tbody button.link, main table tbody button.link');
          if (!b) return false;
          b.click();
          return true;`);
        if (opened && (await s.exec(`return !!document.querySelector('button.back')`))) {
          await s.waitForElement('h1');
          await look(`${slug}-record`, w);
        }
      }
      // A side panel open beside a list: the list and its search box still fit.
      await s.clickText('nav button', 'Vendors');
      await s.clickText('button', 'Add vendor');
      await s.waitForElement('aside.panel form');
      await look('vendors-with-panel', w);
      await s.clickText('button', 'Cancel');
      await s.clickText('nav button', 'Risks');
      await s.clickText('[role="tab"], button', 'Heatmap');
      await s.waitForElement('[data-testid="heatmap-count"]');
      await look('risks-heatmap', w);
    }
    assert.ok(seen.length >= 3 * (areas.length + 8), `screens looked at: ${seen.join(' ')}`);
  });
});

test('a policy comes with its starter text; edit it beside the preview, approve to freeze it, start a new version, compare, print to PDF; a text too long is refused on its field', async () => {
  const db = workspace();
  const people = join(tempDir('readyroom-e2e-people-'), 'people.csv');
  writeFileSync(people, 'name,email,role\nCleo Ode,cleo@acme.example,CEO\n');
  assert.match(cli('--db', db, 'import', 'people', people), /1 created/);
  await withApp('policy-text', db, async (s) => {
    await s.clickText('nav button', 'Policies');
    await s.clickText('button', 'Add the expected policies');
    await s.waitForText('[data-testid="policies-count"]', '18 policies');
    await s.clickText('table[aria-label="Policies"] button', 'Access Control Policy');
    await s.waitForText('h1', 'Access Control Policy');
    // The first draft holds the template, filled in (no placeholder left).
    await s.waitForText('.policy-preview h4', 'Purpose');
    const preview = await s.exec(`return document.querySelector('.policy-text .policy-preview').textContent`);
    assert.ok(!preview.includes('{{') && preview.length > 2000, 'the starter text, filled');
    assert.equal(await s.text(await s.find('[data-testid="text-state"]')), 'Draft: can change');

    // Too long: refused next to the text; what is stored stays.
    await s.clickText('button', 'Edit text');
    const editor = await s.field('Policy text (Markdown)');
    await s.exec(`const t = arguments[0]; t.value = 'word '.repeat(90000); t.dispatchEvent(new Event('input', { bubbles: true }));`, { 'element-6066-11e4-a52e-4f735466cecf': editor });
    await s.clickText('button', 'Save text');
    await s.waitFor('the length error', async () => (await s.fieldError('Policy text (Markdown)')) !== '');
    assert.match(await s.fieldError('Policy text (Markdown)'), /longer than 400000 characters/);
    // WebDriver types a new line as the Enter key.
    const lines = (t) => t.replaceAll('\n', '\uE007');
    await s.type(editor, lines('# Access Control Policy\n\n## Policy\nAccess is reviewed every quarter.\nMFA is on everywhere.\n'));
    await s.clickText('button', 'Save text');
    await s.waitFor('the saved text', async () => (await s.exec(`return !document.querySelector('#policy-body')`)) || null);
    await s.waitForText('.policy-preview p', 'Access is reviewed every quarter. MFA is on everywhere.');

    // Approve: the text is frozen and the editor is gone.
    await s.clickText('.page-actions button', 'Approve');
    await s.fill('Approved on', '2026-11-02');
    await s.select('Approved by', await s.exec(`return [...document.querySelectorAll('#approve-by option')].find((o) => o.textContent === 'Cleo Ode').value;`));
    await s.clickText('aside button', 'Approve');
    await s.waitForText('[data-testid="text-state"]', 'Approved: text frozen');
    assert.equal(await s.exec(`return [...document.querySelectorAll('.policy-text button')].some((b) => b.textContent.trim() === 'Edit text')`), false);

    // A new version starts from the approved text; change one line and compare.
    await s.clickText('.page-actions button', 'New version');
    await s.fill('New version', '1.1');
    await s.clickText('aside button', 'Start version');
    await s.waitForText('[data-testid="text-state"]', 'Draft: can change');
    await s.clickText('button', 'Edit text');
    await s.type(await s.field('Policy text (Markdown)'), lines('# Access Control Policy\n\n## Policy\nAccess is reviewed every quarter.\nMFA is on for every account.\n'));
    await s.clickText('button', 'Save text');
    await s.waitForText('.policy-preview p', 'Access is reviewed every quarter. MFA is on for every account.');
    await s.select('Compare with', '0.1');
    await s.clickText('.policy-compare button', 'Compare');
    await s.waitForText('[data-testid="diff-summary"]', 'Version 1.1 against 0.1: 1 line added, 1 line removed.');
    const removed = await s.exec(`return [...document.querySelectorAll('.policy-diff .diff-removed')].map((l) => l.textContent.replace('Removed: ', '').replace('−', '').trim())`);
    assert.deepEqual(removed, ['MFA is on everywhere.']);
    await shot(s, 'policy-compare');

    // Print the approved version.
    await s.click(await s.find('[data-testid="diff-back"]'));
    await s.select('Version', '0.1');
    await s.waitForText('[data-testid="text-state"]', 'Approved: text frozen');
    await s.clickText('.policy-text button', 'Export PDF');
    const pdf = join(SAVE_DIR, 'Access-Control-Policy-v0.1.pdf');
    await s.waitFor('the PDF', async () => existsSync(pdf) || null, 20_000);
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).split(/\s+/).join(' ');
    assert.ok(text.includes('Approved on 2026-11-02 by Cleo Ode') && text.includes('MFA is on everywhere.'), text.slice(0, 400));
  });
});

test('roles are mapped to people once and the starter controls show their owners; a starter risk takes its suggestion; an exercise plan casts the role holders', async () => {
  const db = workspace();
  const people = join(tempDir('readyroom-e2e-people-'), 'people.csv');
  writeFileSync(people, 'name,email,role\nCleo Ode,cleo@acme.example,Security lead\nDev Ray,dev@acme.example,Engineer\n');
  assert.match(cli('--db', db, 'import', 'people', people), /2 created/);
  await withApp('roles', db, async (s) => {
    await s.clickText('nav button', 'Controls');
    await s.clickText('button', 'Add the starter controls');
    await s.waitForText('[data-testid="controls-count"]', '94 controls');
    await s.clickText('nav button', 'Settings');
    await s.waitForElement('#role-security_lead');
    const before = await s.text(await s.find('[data-testid="role-security_lead-records"]'));
    assert.match(before, /^\d+ \(\d+ without an owner\)$/);
    await s.select('Security Lead', await s.exec(`return [...document.querySelectorAll('#role-security_lead option')].find((o) => o.textContent === 'Cleo Ode').value;`));
    await s.waitFor('the mapping', async () => /^\d+$/.test(await s.text(await s.find('[data-testid="role-security_lead-records"]'))) || null);
    const banner = await s.exec(`return [...document.querySelectorAll('.banner')].map((b) => b.textContent).join(' ')`);
    assert.match(banner, /Cleo Ode is now Security Lead, and owns \d+ more records of the role/);
    // The controls of the role show her as owner; one of another role does not.
    await s.clickText('nav button', 'Controls');
    await s.type(await s.find('input[aria-label="Search controls"]'), 'AC-05');
    await s.waitFor('AC-05 owned by Cleo', async () => (await s.exec(`return [...document.querySelectorAll('table tbody tr')].map((r) => r.textContent).join('|')`)).includes('Cleo Ode') || null);
    await s.type(await s.find('input[aria-label="Search controls"]'), 'HR-01');
    await s.waitFor('HR-01 without an owner', async () => {
      const rows = await s.exec(`return [...document.querySelectorAll('table tbody tr')].map((r) => r.textContent)`);
      return rows.length === 1 && rows[0].includes('HR-01') && !rows[0].includes('Cleo Ode') ? true : null;
    });

    // A starter risk offers its suggested treatment; taking it decides the treatment.
    await s.clickText('nav button', 'Risks');
    await s.clickText('button', 'Choose starter risks');
    await s.waitForElement('aside.panel');
    await s.clickText('aside button', 'Add 26 selected');
    await s.waitForElement('table[aria-label="Risks"] tbody tr', 20_000);
    const ref = await s.waitFor('the phishing risk', () =>
      s.exec(`const row = [...document.querySelectorAll('table[aria-label="Risks"] tbody tr')].find((r) => r.textContent.includes('Staff credentials stolen through phishing'));
              return row ? row.querySelector('button.link').textContent.trim() : null;`),
    );
    await s.clickText('table[aria-label="Risks"] button', ref);
    await s.waitForElement('[data-testid="suggestion"]');
    await s.clickText('button', 'Take the suggestion');
    await s.waitFor('the decided treatment', async () => (await s.exec(`return !document.querySelector('[data-testid="suggestion"]')`)) || null);

    // Exercises come with their roles: Dev runs compliance, so he facilitates; Cleo, the
    // security lead, plays the incident lead.
    await s.clickText('nav button', 'Settings');
    await s.waitForElement('#role-compliance_lead');
    await s.select('Compliance Lead', await s.exec(`return [...document.querySelectorAll('#role-compliance_lead option')].find((o) => o.textContent === 'Dev Ray').value;`));
    await s.waitFor('Dev mapped', async () => (await s.exec(`return [...document.querySelectorAll('.banner')].map((b) => b.textContent).join(' ')`)).includes('Dev Ray is now Compliance Lead') || null);
    await s.clickText('nav button', 'Tabletop');
    await s.clickText('button', 'Plan an exercise');
    await s.waitForElement('[data-testid="cast-note"]');
    const cast = await s.exec(`const f = document.querySelector('#plan-facilitator');
      const cleo = [...document.querySelectorAll('.pick-list li')].find((li) => li.textContent.includes('Cleo Ode'));
      return { facilitator: f.options[f.selectedIndex].textContent, cleo: cleo.querySelector('input').checked, role: cleo.querySelector('select').value };`);
    assert.deepEqual(cast, { facilitator: 'Dev Ray', cleo: true, role: 'Incident lead' });
  });
});
