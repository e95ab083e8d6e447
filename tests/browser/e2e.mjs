// Browser end-to-end test of the web app against a running stack whose
// gateway serves the built app (see run.sh). Drives Debian's Chromium with
// playwright-core (from web/node_modules) and a fake camera/microphone fed
// from files (make_media.sh). Prints one line per check and a final
// "N passed, M failed"; exits non-zero when any check failed.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const webDir = join(repo, 'web');
const require = createRequire(join(webDir, 'package.json'));
const { chromium } = require('playwright-core');

const env = (name, fallback) => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) {
    console.error(`e2e: ${name} is not set (export the output of deploy/stack.sh env)`);
    process.exit(2);
  }
  return v;
};
const BASE = env('ISIM_GATEWAY_URL').replace(/\/$/, '');
const ADMIN_KEY = env('ISIM_BOOTSTRAP_ADMIN_KEY');
const STATE = env('ISIM_STATE_DIR');
const BUCKET = env('ISIM_S3_BUCKET');
const OUT = env('ISIM_BROWSER_OUT', join(repo, 'build', 'browser'));
const MEDIA = env('ISIM_BROWSER_MEDIA', join(OUT, 'media'));
const CHROMIUM = env('ISIM_CHROMIUM', '/usr/bin/chromium');
const TEST_MEDIA = env('ISIM_TEST_MEDIA_DIR', join(repo, 'build', 'test-media'));
const RECORD_S = Number(env('ISIM_BROWSER_RECORD_S', '20'));
const SHOTS = join(OUT, 'screenshots');
mkdirSync(SHOTS, { recursive: true });
const AXE = join(webDir, 'node_modules', 'axe-core', 'axe.min.js');
const AXE_SOURCE = `${readFileSync(AXE, 'utf8')}\n;void 0;`;

// ---- tiny harness ----
const results = [];
const t0 = Date.now();
const stamp = () => `${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s`;
function record(name, ok, detail = '') {
  results.push({ name, ok });
  console.log(`${stamp()} ${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
  return ok;
}
/** A check that cannot run against this server: said, not counted. */
function skip(name, why) {
  console.log(`${stamp()} SKIP ${name} — ${why}`);
}
async function check(name, fn) {
  try {
    const detail = await fn();
    return record(name, true, typeof detail === 'string' ? detail : '');
  } catch (e) {
    record(name, false, e?.message?.split('\n')[0] ?? String(e));
    return false;
  }
}
function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}
let shotNo = 0;
async function shot(page, step) {
  shotNo += 1;
  const file = join(SHOTS, `${String(shotNo).padStart(2, '0')}-${step}.png`);
  await page.screenshot({ path: file, fullPage: true }).catch((e) => console.log(`  (screenshot ${step} failed: ${e.message})`));
}

// ---- API as the bootstrap admin ----
async function adminApi(method, path, body) {
  const res = await fetch(BASE + path, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
  return json;
}

/** GET /v1/languages (null from a server without it). */
async function serverLanguages() {
  const r = await fetch(`${BASE}/v1/languages`, { headers: { Authorization: `Bearer ${ADMIN_KEY}` } }).catch(() => null);
  return r?.ok ? r.json() : null;
}

// ---- browser helpers ----
const cspViolations = [];
const pageErrors = [];
function watch(page, label) {
  page.on('console', (m) => {
    const text = m.text();
    if (/Content[- ]Security[- ]Policy/i.test(text)) cspViolations.push(`${label}: ${text}`);
  });
  page.on('pageerror', (e) => pageErrors.push(`${label}: ${e.message}`));
}
// The interface follows the browser's language: English unless a check asks
// for another (locale: 'pt-BR'), whatever the machine's locale is.
async function newContext(browser, label, opts = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', ...opts });
  await ctx.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  ctx.on('page', (p) => watch(p, label));
  return ctx;
}
async function collectCsp(page, label) {
  const list = await page.evaluate(() => window.__csp ?? []).catch(() => []);
  for (const v of list) cspViolations.push(`${label}: ${v}`);
}
async function axe(page, name) {
  await check(`axe: no serious or critical violation on ${name}`, async () => {
    // page.addScriptTag would add an inline <script>, which the page's CSP
    // (rightly) blocks; evaluating through the DevTools protocol is not
    // subject to the page's CSP.
    await page.evaluate(AXE_SOURCE);
    const r = await page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const res = await axe.run(document, { resultTypes: ['violations'] });
      return res.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help, target: v.nodes[0]?.target?.join(' ') }));
    });
    const bad = r.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    const minor = r.filter((v) => !bad.includes(v)).map((v) => `${v.id}(${v.impact})`);
    assert(bad.length === 0, bad.map((v) => `${v.id} [${v.impact}] ${v.help} x${v.nodes} at ${v.target}`).join('; '));
    return minor.length ? `minor: ${minor.join(', ')}` : '';
  });
  await collectCsp(page, name);
}
async function acceptInvitation(page, path, password) {
  await page.goto(BASE + path);
  await page.locator('#new-password').waitFor({ timeout: 15000 });
  await page.fill('#new-password', password);
  await page.fill('#repeat-password', password);
  await page.click('button[type=submit]');
  await page.waitForURL(`${BASE}/`, { timeout: 15000 });
  await page.getByRole('heading', { name: 'Choose a question' }).waitFor({ timeout: 15000 });
}
async function signIn(page, email, password) {
  await page.goto(`${BASE}/signin`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
  await page.waitForURL(`${BASE}/`, { timeout: 15000 });
}

const words = (s) => (s.toLowerCase().match(/[a-z']+/g) ?? []);
const squash = (s) => s.replace(/\s+/g, ' ').trim();
/** Seconds as the report writes them, m:ss. */
const clock = (t) => `${Math.floor(t / 60)}:${String(Math.floor(t % 60)).padStart(2, '0')}`;
/** A GET of the API with the page's session cookie. */
const pageGet = (p, path) => p.evaluate(async (u) => (await fetch(u)).json(), path);
/** How many pixels of a canvas are drawn on. */
const inkOf = (locator) => locator.evaluate((c) => {
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
  return n;
});

// ---- the run ----
const run = Date.now().toString(36);
const user1 = { email: `e2e-${run}@example.test`, name: 'E2E Candidate', password: `Pw-${run}-long-enough` };
const user2 = { email: `e2e-other-${run}@example.test`, name: 'E2E Other', password: `Pw2-${run}-long-enough` };
const admin = { email: `e2e-admin-${run}@example.test`, name: 'E2E Admin', password: `Pw3-${run}-long-enough` };
const QUESTION_ID = 'hard-problem';

const fakeMediaWith = (speech) => [
  '--use-fake-device-for-media-stream',
  `--use-file-for-fake-video-capture=${join(MEDIA, 'face.y4m')}`,
  `--use-file-for-fake-audio-capture=${join(MEDIA, speech)}`,
  '--autoplay-policy=no-user-gesture-required',
];
const fakeMedia = fakeMediaWith('speech.wav');
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--use-fake-ui-for-media-stream', ...fakeMedia] });
let interviewId = null;
let exitCode = 1;

try {
  // The app and its CSP
  await check('gateway serves the app with a CSP without unsafe-inline', async () => {
    const res = await fetch(`${BASE}/`);
    assert(res.ok, `GET / answered ${res.status}`);
    const html = await res.text();
    assert(html.includes('<div id="app">'), 'GET / is not the web app');
    const csp = res.headers.get('content-security-policy') ?? '';
    assert(csp, 'no Content-Security-Policy header');
    assert(!/unsafe-inline/.test(csp), `CSP allows unsafe-inline: ${csp}`);
    const spa = await fetch(`${BASE}/history/deep/link`);
    assert(spa.ok && (await spa.text()).includes('<div id="app">'), 'SPA fallback missing for /history/deep/link');
    return csp;
  });

  // 1. invitation and first sign-in
  const inv1 = await adminApi('POST', '/v1/invitations', { email: user1.email, name: user1.name });
  const ctx1 = await newContext(browser, 'user1');
  await ctx1.grantPermissions(['camera', 'microphone'], { origin: BASE });
  const page = await ctx1.newPage();
  const accepted = await check('accept the invitation and set a password', async () => {
    await page.goto(BASE + inv1.path);
    await page.getByText(user1.email).waitFor({ timeout: 15000 });
    await shot(page, 'invitation');
    await axe(page, 'invitation page');
    await acceptInvitation(page, inv1.path, user1.password);
    await shot(page, 'question-picker');
  });
  if (!accepted) throw new Error('cannot continue without a signed-in user');
  await axe(page, 'question picker');

  await check('sign out', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/signin/, { timeout: 10000 });
    await page.locator('#email').waitFor();
    await shot(page, 'signed-out');
  });
  await axe(page, 'sign-in page');

  await check('a signed-out visit is sent to sign-in, remembering where to return', async () => {
    await page.goto(`${BASE}/history`);
    await page.waitForURL(/\/signin\?next=%2Fhistory/, { timeout: 10000 });
    await page.locator('#email').waitFor();
  });

  await check('a wrong password is refused with the message', async () => {
    await page.fill('#email', user1.email);
    await page.fill('#password', 'definitely-not-the-password');
    await page.click('button[type=submit]');
    const alert = page.locator('.error[role=alert]');
    await alert.waitFor({ timeout: 10000 });
    const text = (await alert.innerText()).trim();
    assert(text.length > 5, 'empty error message');
    assert(new URL(page.url()).pathname === '/signin', `left the sign-in page: ${page.url()}`);
    await shot(page, 'wrong-password');
    return `"${text}"`;
  });

  const signedIn = await check('sign in again and return to the page asked for', async () => {
    await page.fill('#password', user1.password);
    await page.click('button[type=submit]');
    await page.waitForURL(`${BASE}/history`, { timeout: 15000 });
    await page.getByRole('heading', { name: 'Your interviews' }).waitFor();
    await page.getByRole('link', { name: 'Practise' }).click();
    await page.getByRole('heading', { name: 'Choose a question' }).waitFor();
  });
  if (!signedIn) throw new Error('cannot continue without signing in');

  // 2. pick a question and record
  let recorded = false;
  await check('pick a question', async () => {
    await page.locator(`a[href="/record?question_id=${QUESTION_ID}"]`).click();
    await page.waitForURL(/\/record\?question_id=/, { timeout: 10000 });
    await page.getByTestId('question-text').waitFor({ timeout: 10000 });
    await page.getByRole('button', { name: 'Start recording' }).waitFor({ timeout: 20000 });
    assert(await page.getByRole('button', { name: 'Start recording' }).isEnabled(), 'Start recording is disabled');
    const cams = await page.locator('#camera-select option').count();
    const mics = await page.locator('#mic-select option').count();
    assert(cams >= 1 && mics >= 1, `devices: ${cams} cameras, ${mics} microphones`);
    await page.waitForFunction(() => {
      const v = document.querySelector('video.preview');
      return v && v.videoWidth > 0;
    }, null, { timeout: 10000 });
    await shot(page, 'record-preview');
    return `${cams} camera(s), ${mics} microphone(s)`;
  });
  await axe(page, 'record page');

  recorded = await check(`record about ${RECORD_S} s with a thinking countdown`, async () => {
    await page.selectOption('#thinking', '3');
    await page.getByRole('button', { name: 'Start recording' }).click();
    await page.locator('.overlay .big').waitFor({ timeout: 3000 });
    await shot(page, 'thinking-countdown');
    await page.getByRole('button', { name: 'Stop recording' }).waitFor({ timeout: 10000 });
    await page.waitForTimeout((RECORD_S / 2) * 1000);
    const level = await page.locator('#mic-level').evaluate((m) => m.value);
    await shot(page, 'recording');
    await page.waitForTimeout((RECORD_S / 2) * 1000);
    await page.getByRole('button', { name: 'Stop recording' }).click();
    await page.locator('video.playback').waitFor({ timeout: 10000 });
    await page.getByRole('button', { name: 'Send for feedback' }).waitFor();
    const size = await page.locator('.review .muted').innerText();
    await shot(page, 'review');
    return `${size.trim()} microphone level during recording ${Number(level).toFixed(2)}`;
  });
  await axe(page, 'recording review');
  if (!recorded) throw new Error('nothing recorded');

  // 3. upload and live progress
  let uploadedAt = 0;
  await check('upload: progress of bytes sent, cancel, retry', async () => {
    // throttle the upload so that progress and cancel can be seen
    const cdp = await ctx1.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 150 * 1024 });
    await page.getByRole('button', { name: 'Send for feedback' }).click();
    await page.locator('#upload-progress').waitFor({ timeout: 10000 });
    await page.waitForFunction(() => {
      const p = document.querySelector('#upload-progress');
      return p && p.getAttribute('data-state') === 'uploading' && p.value > 0.05 && p.value < 0.9;
    }, null, { timeout: 20000 });
    const partial = await page.locator('#upload-progress').evaluate((p) => p.value);
    const label = (await page.locator('label[for=upload-progress]').innerText()).trim();
    await shot(page, 'uploading');
    await page.getByRole('button', { name: 'Cancel upload' }).click();
    await page.waitForFunction(() => document.querySelector('#upload-progress')?.getAttribute('data-state') === 'cancelled', null, { timeout: 5000 });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await cdp.detach();
    await page.getByRole('button', { name: 'Retry upload' }).click();
    await page.waitForFunction(() => ['uploaded', 'failed'].includes(document.querySelector('#upload-progress')?.getAttribute('data-state')), null, { timeout: 60000 });
    if (await page.locator('#upload-progress[data-state=failed]').count()) {
      throw new Error(`the retried upload failed: ${(await page.locator('.upload.card').innerText()).replace(/\s+/g, ' ')}`);
    }
    uploadedAt = Date.now();
    await page.locator('.progress-panel').waitFor({ timeout: 5000 });
    await shot(page, 'uploaded-progress');
    return `cancelled at ${Math.round(partial * 100)} % ("${label}"), then retried`;
  });
  let reportAt = 0;
  const stagesOk = await check('watch the stages finish and the report open', async () => {
    const seen = await page.evaluate(() => new Promise((resolve, reject) => {
      const rank = { waiting: 0, started: 1, finished: 2, failed: 3 };
      const seen = {};
      const started = Date.now();
      const iv = setInterval(() => {
        document.querySelectorAll('[data-stage]').forEach((li) => {
          const s = li.getAttribute('data-state');
          const n = li.getAttribute('data-stage');
          if ((rank[s] ?? 0) >= (rank[seen[n]] ?? -1)) seen[n] = s;
        });
        const failed = document.querySelector('.progress-panel .error');
        if (failed) { clearInterval(iv); reject(new Error(`processing failed: ${failed.textContent}`)); }
        if (location.pathname.startsWith('/interviews/')) { clearInterval(iv); resolve(seen); }
        if (Date.now() - started > 240000) { clearInterval(iv); reject(new Error(`no report after 240 s; stages ${JSON.stringify(seen)}`)); }
      }, 100);
    }));
    await page.locator('.transcript .w').first().waitFor({ timeout: 30000 });
    reportAt = Date.now();
    interviewId = new URL(page.url()).pathname.split('/').pop();
    const names = Object.keys(seen);
    assert(names.length >= 4, `stages seen: ${JSON.stringify(seen)}`);
    assert(names.every((n) => seen[n] === 'finished'), `not every stage was seen finished: ${JSON.stringify(seen)}`);
    return `stages ${JSON.stringify(seen)}; interview ${interviewId}`;
  });
  if (stagesOk) console.log(`${stamp()} TIME uploaded -> report on screen: ${((reportAt - uploadedAt) / 1000).toFixed(1)} s`);
  if (!stagesOk) throw new Error('no report');

  // 4. the report
  await page.waitForFunction(() => document.querySelectorAll('figure.chart canvas').length >= 4, null, { timeout: 15000 });
  await page.waitForTimeout(500);
  await shot(page, 'report');
  await axe(page, 'report page');

  await check('the transcript holds the spoken words', async () => {
    const said = (await page.locator('.transcript').innerText());
    const ref = new Set(words(readFileSync(join(MEDIA, 'sample.txt'), 'utf8')));
    const got = words(said);
    const hits = got.filter((w) => ref.has(w)).length;
    assert(got.length >= 10, `only ${got.length} words recognised`);
    assert(hits / got.length >= 0.5, `${hits} of ${got.length} words in the reference`);
    return `${got.length} words, ${Math.round((100 * hits) / got.length)} % in the reference text`;
  });

  await check('every timeline chart has drawn data', async () => {
    const charts = await page.$$eval('figure.chart[data-chart]', (figs) => figs.map((f) => {
      const c = f.querySelector('canvas');
      let inked = 0;
      if (c) {
        const ctx = c.getContext('2d');
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) inked++;
      }
      return { id: f.getAttribute('data-chart'), points: Number(f.getAttribute('data-points')), inked, canvas: !!c };
    }));
    const want = ['pace', 'pauses', 'voice', 'camera'];
    for (const id of want) {
      const c = charts.find((x) => x.id === id);
      assert(c, `chart ${id} missing`);
      assert(c.canvas && c.points > 0 && c.inked > 0, `chart ${id}: ${JSON.stringify(c)}`);
    }
    return charts.map((c) => `${c.id}:${c.points} points`).join(', ');
  });

  const videoReady = await check('the report video loads (poster first)', async () => {
    const poster = await page.locator('#report-video').getAttribute('poster');
    assert(poster, 'no poster');
    await page.waitForFunction(() => document.querySelector('#report-video')?.readyState >= 1, null, { timeout: 20000 });
    const d = await page.locator('#report-video').evaluate((v) => v.duration);
    return `duration ${Number(d).toFixed(1)} s`;
  });

  if (videoReady) {
    await check("a tip's jump button moves the video to its moment", async () => {
      const tips = await page.$$eval('.tip[data-start]', (els) => els.map((e, i) => ({ i, start: Number(e.getAttribute('data-start')) })));
      assert(tips.length > 0, 'no tip with evidence');
      const tip = tips.reduce((a, b) => (b.start > a.start ? b : a));
      // start somewhere else so that the jump is visible
      const away = tip.start > 2 ? 0.5 : Math.min(8, tip.start + 8);
      await page.locator('#report-video').evaluate((v, t) => { v.currentTime = t; }, away);
      await page.waitForTimeout(300);
      await page.locator('.tip').nth(tip.i).locator('.jump-tip').click();
      await page.waitForTimeout(500);
      const now = await page.locator('#report-video').evaluate((v) => v.currentTime);
      assert(Math.abs(now - tip.start) <= 0.5, `currentTime ${now}, tip at ${tip.start}`);
      return `tip at ${tip.start.toFixed(2)} s, video at ${now.toFixed(2)} s`;
    });

    await check('a click on a word seeks the video there and highlights it', async () => {
      const n = await page.locator('.transcript .w').count();
      const w = page.locator('.transcript .w').nth(Math.floor(n / 2));
      await w.click();
      await page.waitForTimeout(400);
      const now = await page.locator('#report-video').evaluate((v) => v.currentTime);
      const cls = await w.getAttribute('class');
      assert(cls.includes('current'), `word not highlighted (${cls})`);
      return `video at ${now.toFixed(2)} s`;
    });

    await check('a click on a chart seeks the video to that time', async () => {
      const over = page.locator('figure.chart[data-chart=voice] .u-over');
      const box = await over.boundingBox();
      await over.click({ position: { x: box.width / 2, y: box.height / 2 } });
      await page.waitForTimeout(400);
      const [now, dur] = await page.locator('#report-video').evaluate((v) => [v.currentTime, v.duration]);
      assert(now > 1 && Number.isFinite(now), `video at ${now}`);
      return `video at ${now.toFixed(2)} s of ${Number(dur).toFixed(1)} s`;
    });

    await check('a chart can be used from the keyboard (arrow keys move the video)', async () => {
      const before = await page.locator('#report-video').evaluate((v) => v.currentTime);
      await page.locator('figure.chart[data-chart=pace] [role=slider]').focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page.waitForTimeout(400);
      const after = await page.locator('#report-video').evaluate((v) => v.currentTime);
      assert(Math.abs(after - before - 2) < 0.3, `from ${before} to ${after}`);
      return `${before.toFixed(2)} s -> ${after.toFixed(2)} s`;
    });
  }

  await check('the report fits a phone screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(600);
    const [sw, iw] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    await shot(page, 'report-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
    assert(sw <= iw + 1, `page is ${sw} px wide on a ${iw} px screen`);
  });

  // 5. history
  await check('the interview is in the history with its score', async () => {
    await page.getByRole('link', { name: 'History' }).click();
    await page.waitForURL(/\/history$/);
    const row = page.locator(`tr[data-interview-id="${interviewId}"]`);
    await row.waitFor({ timeout: 10000 });
    const text = await row.innerText();
    assert(/Complete/.test(text), `row: ${text}`);
    await page.locator('figure.chart[data-chart=trend] canvas').waitFor({ timeout: 10000 });
    // One interview: the trend's time axis spans about a day, not years
    // (a redraw used to pad the previous range again and again).
    const box = page.locator('figure.chart[data-chart=trend] .uplot-box');
    await page.waitForFunction((el) => el && el.dataset.xMax, await box.elementHandle(), { timeout: 10000 });
    const span = Number(await box.getAttribute('data-x-max')) - Number(await box.getAttribute('data-x-min'));
    assert(span > 0 && span <= 2 * 86400, `the trend's time axis spans ${(span / 86400).toFixed(1)} days for one interview`);
    await shot(page, 'history');
    return `${text.replace(/\s+/g, ' ').trim()}; time axis ${(span / 3600).toFixed(0)} h`;
  });
  await check('the history charts a chosen figure over time, with its data points and summary', async () => {
    const h = await pageGet(page, '/v1/history');
    const mine = h.history.find((i) => i.interview_id === interviewId);
    assert(mine?.metrics, `no metrics for the interview in /v1/history: ${JSON.stringify(mine)}`);
    const fig = page.locator('figure.chart[data-chart=metric]');
    const seen = [];
    for (const [key, shown] of [
      ['pace_wpm', (v) => `${new Intl.NumberFormat('en', { maximumFractionDigits: 2 }).format(v)} wpm`],
      ['score', (v) => String(Math.round(v))],
    ]) {
      await page.selectOption('#h-metric', key);
      await page.waitForFunction((k) => document.querySelector('figure.chart[data-chart=metric]')?.dataset.metric === k, key);
      const want = h.history.filter((i) => i.metrics?.[key] !== null && i.metrics?.[key] !== undefined).length;
      assert(want >= 1 && mine.metrics[key] !== null, `${key} of the interview: ${mine.metrics[key]}`);
      const points = Number(await fig.getAttribute('data-points'));
      assert(points === want, `${key}: the chart has ${points} points, the API ${want} answers with it`);
      const canvas = fig.locator('canvas');
      await canvas.waitFor({ timeout: 5000 });
      await page.waitForTimeout(200);
      const ink = await inkOf(canvas);
      assert(ink > 0, `${key}: nothing drawn`);
      const latest = squash(await page.locator('.trend-summary [data-figure=last] dd').innerText());
      assert(latest === shown(mine.metrics[key]), `${key}: latest shown "${latest}", the API says ${mine.metrics[key]}`);
      const count = squash(await page.locator('.trend-summary [data-figure=count] dd').innerText());
      assert(count === String(h.trends[key].count), `${key}: ${count} answers shown, the API's trend counts ${h.trends[key].count}`);
      seen.push(`${key} ${latest} (${points} point${points === 1 ? '' : 's'})`);
    }
    await page.locator('.trend-data summary').click();
    const rows = await page.locator('.trend-data tbody tr').count();
    assert(rows === h.history.length, `${rows} rows of figures for ${h.history.length} answers`);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(600);
    const [sw, iw] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    await shot(page, 'history-metric-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
    assert(sw <= iw + 1, `the history page is ${sw} px wide on a ${iw} px screen`);
    return seen.join('; ');
  });
  await axe(page, 'history page');

  // 5b. the report taken away: a PDF of the page printed, and its data as JSON
  await check('the report prints to a PDF with the score, tips and their times, the transcript, the charts and no buttons', async () => {
    const iv = await pageGet(page, `/v1/interviews/${interviewId}`);
    await page.goto(`${BASE}/interviews/${interviewId}`);
    await page.waitForFunction(() => document.querySelectorAll('figure.chart canvas').length >= 4, null, { timeout: 15000 });
    await page.waitForTimeout(500);
    await page.emulateMedia({ media: 'print' });
    const printed = await page.evaluate(() => ({
      video: getComputedStyle(document.querySelector('#report-video')).display,
      nav: getComputedStyle(document.querySelector('.topbar')).display,
      buttons: [...document.querySelectorAll('button')].filter((b) => b.getClientRects().length > 0).map((b) => b.textContent),
      canvases: [...document.querySelectorAll('figure.chart canvas')].filter((c) => c.getBoundingClientRect().width > 100).length,
    }));
    const file = join(OUT, `report-${interviewId}.pdf`);
    await page.pdf({ path: file, format: 'A4', printBackground: true });
    await page.emulateMedia({ media: null });
    assert(printed.video === 'none' && printed.nav === 'none', `printed: video ${printed.video}, navigation ${printed.nav}`);
    assert(printed.buttons.length === 0, `buttons printed: ${printed.buttons.join(', ')}`);
    assert(printed.canvases >= 4, `${printed.canvases} charts printed`);
    const text = squash(execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }));
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
    // pdfimages -list: two header lines, then one line per image (and one per soft mask)
    const images = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).trim().split('\n').slice(2)
      .filter((l) => l.trim().split(/\s+/)[2] === 'image').length;
    const r = iv.report;
    assert(new RegExp(`Overall ${r.score.overall}\\b`).test(text), `no "Overall ${r.score.overall}" in the PDF`);
    const partNames = { delivery: 'Delivery', content: 'Content', on_camera: 'On camera' };
    for (const [part, p] of Object.entries(r.score.parts)) {
      assert(text.includes(`${partNames[part] ?? part} ${p.score}`), `no "${partNames[part]} ${p.score}" in the PDF`);
    }
    const tip = r.tips.find((t) => (t.evidence ?? []).some((e) => typeof e.start === 'number'));
    assert(tip, 'no tip with a moment to look for');
    assert(text.includes(squash(tip.message)), `the tip "${tip.message}" is not in the PDF`);
    const ev = tip.evidence.find((e) => typeof e.start === 'number');
    assert(text.includes(`${clock(ev.start)}–${clock(ev.end)}`), `the tip's moment ${clock(ev.start)}–${clock(ev.end)} is not in the PDF`);
    const said = r.transcript.words.map((w) => w.word);
    const run = words(said.slice(0, 8).join(' ')).join(' ');
    assert(run && words(text).join(' ').includes(run), `the transcript's first words "${run}" are not in the PDF`);
    const printedWords = new Set(words(text));
    const found = words(said.join(' ')).filter((w) => printedWords.has(w)).length;
    assert(found === words(said.join(' ')).length, `${found} of ${said.length} transcript words in the PDF`);
    const labels = ['Download PDF', 'Download data', 'Jump to this moment', 'Practise this question again', 'All interviews',
      'Sign out', 'Evidence (', 'Click a word'];
    const leaked = labels.filter((l) => text.includes(l));
    assert(leaked.length === 0, `button labels in the PDF: ${leaked.join(', ')}`);
    assert(images >= 4, `${images} images (charts) in the PDF`);
    return `${pages} pages, ${images} chart images, score ${r.score.overall}, tip "${tip.metric}" at ${clock(ev.start)}, ${said.length} words`;
  });
  await check('the report\'s data downloads as JSON: the interview and its report as the API gives them', async () => {
    const iv = await pageGet(page, `/v1/interviews/${interviewId}`);
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 10000 }),
      page.getByRole('button', { name: 'Download data (JSON)' }).click()]);
    const name = download.suggestedFilename();
    assert(name === `interview-${interviewId}.json`, `file name ${name}`);
    const got = JSON.parse(readFileSync(await download.path(), 'utf8'));
    assert(JSON.stringify(got.report) === JSON.stringify(iv.report), 'the downloaded report differs from the API\'s');
    for (const k of ['id', 'question', 'question_id', 'status', 'created_at', 'completed_at', 'language', 'stages']) {
      assert(JSON.stringify(got[k]) === JSON.stringify(iv[k]), `${k}: ${JSON.stringify(got[k])} vs ${JSON.stringify(iv[k])}`);
    }
    assert(!('video_url' in got) && !('poster_url' in got), 'the expiring media links were saved');
    return `${name}, ${Math.round(JSON.stringify(got).length / 1024)} KB`;
  });

  // 5c. coaching: an administrator sets up an organisation and a cohort on
  // the organisations page, with the candidate as a member and a second
  // person as its coach; the coach reads the cohort's overview and the
  // candidate's report and comments at a moment, which the candidate sees;
  // the coach of another cohort cannot open the report. The interview is
  // the one recorded above; the three new people sign in through the API.
  {
    const pw = (who) => `Pw-${who}-${run}-long-enough`;
    const orgAdmin = { email: `e2e-orgadmin-${run}@example.test`, name: 'E2E Org Admin', password: pw('orgadmin') };
    const coach = { email: `e2e-coach-${run}@example.test`, name: 'E2E Coach', password: pw('coach') };
    const outsider = { email: `e2e-outsider-${run}@example.test`, name: 'E2E Outsider', password: pw('outsider') };
    const stranger = { email: `e2e-stranger-${run}@example.test`, name: 'E2E Stranger', password: pw('stranger') };
    const orgName = `E2E School ${run}`;
    const cohortName = `E2E Cohort ${run}`;
    const remark = `Slow down a little here (${run})`;
    const [invAdmin, invCoach, invOutsider, invStranger] = await Promise.all([
      adminApi('POST', '/v1/invitations', { email: orgAdmin.email, name: orgAdmin.name, role: 'admin' }),
      adminApi('POST', '/v1/invitations', { email: coach.email, name: coach.name }),
      adminApi('POST', '/v1/invitations', { email: outsider.email, name: outsider.name }),
      adminApi('POST', '/v1/invitations', { email: stranger.email, name: stranger.name }),
    ]);
    const candidateId = (await pageGet(page, '/v1/me')).id;
    const coachId = invCoach.user.id;
    /** A new browser context signed in by accepting an invitation through the API (the page flow is checked above). */
    const signedIn = async (label, inv, password) => {
      const ctx = await newContext(browser, label);
      const r = await ctx.request.post(`${BASE}/v1/invitations/${inv.token}/accept`, { data: { password } });
      assert(r.ok(), `accepting ${label}'s invitation answered ${r.status()}`);
      return { ctx, page: await ctx.newPage() };
    };
    const fitsPhone = async (p, what) => {
      await p.setViewportSize({ width: 390, height: 844 });
      await p.waitForTimeout(400);
      const [sw, iw] = await p.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      await shot(p, `${what}-phone`);
      await p.setViewportSize({ width: 1280, height: 900 });
      assert(sw <= iw + 1, `${what} is ${sw} px wide on a ${iw} px screen`);
    };
    const adminSide = await signedIn('org admin', invAdmin, orgAdmin.password);
    const coachSide = await signedIn('coach', invCoach, coach.password);
    const cp = coachSide.page;
    let cohortId = null;
    let commentAt = null;

    const setUp = await check('an administrator sets up an organisation and a cohort with a member and a coach on the organisations page', async () => {
      const ap = adminSide.page;
      await ap.goto(`${BASE}/admin`);
      await ap.getByRole('link', { name: 'Organisations and cohorts' }).click();
      await ap.getByRole('heading', { name: 'Organisations and cohorts', level: 1 }).waitFor({ timeout: 10000 });
      await ap.fill('#org-name', orgName);
      await ap.getByRole('button', { name: 'Add organisation' }).click();
      await ap.getByText(`The organisation ${orgName} was added.`).waitFor({ timeout: 10000 });
      for (const [id, name] of [[candidateId, user1.name], [coachId, coach.name]]) {
        await ap.locator(`#org-of-${id}`).selectOption({ label: orgName });
        await ap.getByText(`${name} is now in ${orgName}.`).waitFor({ timeout: 10000 });
      }
      await ap.locator('#cohort-org').selectOption({ label: orgName });
      await ap.fill('#cohort-name', cohortName);
      await ap.getByRole('button', { name: 'Add cohort' }).click();
      const card = ap.locator('article.cohort-admin', { hasText: cohortName });
      await card.locator('form').waitFor({ timeout: 10000 });
      cohortId = await card.getAttribute('data-cohort-id');
      for (const [id, role] of [[candidateId, 'member'], [coachId, 'coach']]) {
        await card.locator(`#add-who-${cohortId}`).selectOption(id);
        await card.locator(`#add-role-${cohortId}`).selectOption(role);
        await card.getByRole('button', { name: `Add to ${cohortName}` }).click();
        await card.locator(`tr[data-user-id="${id}"]`).waitFor({ timeout: 10000 });
      }
      await shot(ap, 'admin-organisations');
      const c = await adminApi('GET', `/v1/cohorts/${cohortId}`);
      const roles = Object.fromEntries(c.people.map((p) => [p.id, p.role]));
      assert(roles[candidateId] === 'member' && roles[coachId] === 'coach' && c.people.length === 2, JSON.stringify(c.people));
      assert(c.organisation?.name === orgName, `the cohort is in ${c.organisation?.name}`);
      return `cohort ${cohortId}`;
    });
    await axe(adminSide.page, 'organisations and cohorts page');
    await check('the organisations page fits a phone screen', () => fitsPhone(adminSide.page, 'admin-organisations'));
    await collectCsp(adminSide.page, 'organisations');
    await adminSide.ctx.close();

    if (setUp) {
      // a coach of another cohort of the same organisation
      const orgId = (await adminApi('GET', `/v1/cohorts/${cohortId}`)).organisation.id;
      const other = await adminApi('POST', '/v1/cohorts', { organisation_id: orgId, name: `${cohortName} B` });
      await adminApi('PATCH', `/v1/users/${invOutsider.user.id}`, { organisation_id: orgId });
      await adminApi('PUT', `/v1/cohorts/${other.id}/members/${invOutsider.user.id}`, { role: 'coach' });

      const found = await check('the coach finds Coaching in the navigation, with the cohort they coach', async () => {
        await cp.goto(`${BASE}/`);
        await cp.getByRole('link', { name: 'Coaching', exact: true }).click();
        await cp.getByRole('link', { name: cohortName }).waitFor({ timeout: 10000 });
        assert(await cp.locator('.cohort-cards > li').count() === 1, 'the coach is shown other cohorts');
      });
      if (found) await axe(cp, 'coaching page');

      // issue 16: the coach adds a question of the organisation's own on the
      // Coaching page; the candidate (same organisation) finds it in the
      // picker, marked as theirs; a person of no organisation does not; once
      // retired it leaves the candidate's picker
      const orgQid = `e2e-org-${run}`;
      const orgWord = `orgq${run}`;
      const orgSection = cp.locator('section.org-questions');
      /** Waits until the picker says it shows n questions (after the server's search). */
      const pickerShows = (p, n) => p.waitForFunction((k) => new RegExp(`^${k} of `)
        .test(document.querySelector('[data-testid=picker-count]')?.textContent ?? ''), n, { timeout: 10000 });
      const orgQuestion = found && await check("the coach adds and edits a question of their organisation's own on the Coaching page", async () => {
        await orgSection.getByRole('heading', { name: 'Your organisation’s questions', level: 2 }).waitFor({ timeout: 10000 });
        await orgSection.getByText('Your organisation has no questions of its own yet.').waitFor({ timeout: 10000 });
        await cp.fill('#qf-id', orgQid);
        await cp.selectOption('#qf-category', 'situational');
        await cp.selectOption('#qf-level', 'entry');
        await cp.fill('#qf-text', `How would you welcome a new classmate? (${orgWord})`);
        await cp.fill('#qf-points', 'listen first\nshow them around');
        assert(!(await cp.isChecked('#qf-star')), 'STAR is ticked for a situational question');
        await cp.check('#qf-star');
        await orgSection.getByRole('button', { name: 'Add question' }).click();
        await orgSection.getByText('The question was added.').waitFor({ timeout: 10000 });
        const row = orgSection.locator(`tr[data-question-id="${orgQid}"]`);
        await row.waitFor({ timeout: 10000 });
        await row.getByRole('button', { name: `Edit ${orgQid}` }).click();
        await orgSection.getByRole('heading', { name: `Edit “${orgQid}”` }).waitFor({ timeout: 5000 });
        assert(await cp.inputValue('#qf-points') === 'listen first\nshow them around', 'the talking points are not in the form');
        await cp.fill('#qf-points', 'listen first\nshow them around\nintroduce them');
        await orgSection.getByRole('button', { name: 'Save', exact: true }).click();
        await orgSection.getByText('The question was saved.').waitFor({ timeout: 10000 });
        const q = await pageGet(cp, `/v1/questions/${orgQid}`);
        assert(q.organisation_id === orgId && q.star === true && q.level === 'entry' && q.talking_points.length === 3, JSON.stringify(q));
        assert(await orgSection.locator('tbody tr').count() === 1, 'the section lists questions that are not the organisation\'s');
        await shot(cp, 'coaching-organisation-questions');
      });
      await axe(cp, "coaching page with the organisation's questions");
      await check("the organisation's questions fit a phone screen", () => fitsPhone(cp, 'coaching-organisation-questions'));

      const candidateSees = orgQuestion && await check("the candidate finds it in the picker, marked as their organisation's", async () => {
        await page.goto(`${BASE}/`);
        await page.fill('#q-search', orgWord);
        await pickerShows(page, 1);
        const item = page.locator(`li.question[data-question-id="${orgQid}"]`);
        assert(await item.getAttribute('data-organisation') === 'own', 'the question is not marked as the organisation\'s');
        const tag = (await item.locator('.tag-org').innerText()).trim();
        assert(tag === 'Your organisation', `marked "${tag}"`);
        await shot(page, 'picker-organisation-question');
      });
      if (orgQuestion) await check('a person of no organisation does not find it, by the same search or its id', async () => {
        const st = await signedIn('stranger', invStranger, stranger.password);
        try {
          await st.page.goto(`${BASE}/`);
          await st.page.fill('#q-search', orgWord);
          await pickerShows(st.page, 0);
          const r = await st.page.evaluate((u) => fetch(u).then((x) => x.status), `/v1/questions/${orgQid}`);
          assert(r === 404, `GET /v1/questions/${orgQid} answered ${r}`);
        } finally {
          await st.ctx.close();
        }
      });
      if (candidateSees) await check("the coach retires it: it leaves the candidate's picker", async () => {
        const row = orgSection.locator(`tr[data-question-id="${orgQid}"]`);
        await row.getByRole('button', { name: `Retire ${orgQid}` }).click();
        await row.getByText('Retired').waitFor({ timeout: 10000 });
        await page.goto(`${BASE}/`);
        await page.fill('#q-search', orgWord);
        await pickerShows(page, 0);
        assert(await page.locator(`li.question[data-question-id="${orgQid}"]`).count() === 0, 'the retired question is offered');
      });
      const overviewOk = found && await check("the coach sees the cohort's overview, the candidate's figures as the API gives them", async () => {
        await cp.getByRole('link', { name: cohortName }).click();
        await cp.getByRole('heading', { name: cohortName, level: 1 }).waitFor({ timeout: 10000 });
        const current = await cp.locator('nav a[aria-current=page]').allInnerTexts();
        assert(current.length === 1 && current[0] === 'Coaching', `the navigation marks ${JSON.stringify(current)} as current`);
        const o = await pageGet(cp, `/v1/cohorts/${cohortId}/overview`);
        const p = o.people.find((x) => x.user_id === candidateId);
        assert(o.members === 1 && o.practised === 1 && p, `overview: ${JSON.stringify(o).slice(0, 300)}`);
        const row = cp.locator(`tr[data-user-id="${candidateId}"]`);
        const cell = async (col) => squash(await row.locator(`td[data-col=${col}]`).innerText());
        const score = (v) => (v === null ? '–' : String(Math.round(v)));
        assert(await cell('answers') === String(p.answers), `answers ${await cell('answers')} vs ${p.answers}`);
        assert(await cell('mocks') === String(p.mock_interviews), `mock interviews ${await cell('mocks')} vs ${p.mock_interviews}`);
        for (const [col, v] of [['mean', p.mean_score], ['first', p.first_score], ['latest', p.latest_score]]) {
          const shown = squash(await row.locator(`td[data-col=${col}] .score`).innerText());
          assert(shown === score(v), `${col}: shown ${shown}, the API says ${v}`);
        }
        const figure = async (id) => squash(await cp.locator(`.cohort-figures [data-figure=${id}] dd`).innerText());
        assert(await figure('members') === '1' && await figure('practised') === '1 of 1' && await figure('mean') === score(o.mean_score),
          `figures ${await figure('members')}, ${await figure('practised')}, ${await figure('mean')}`);
        const spark = row.locator('.spark');
        assert(Number(await spark.getAttribute('data-points')) === p.scores.length, 'the sparkline has not every score');
        assert(await inkOf(spark.locator('canvas')) > 0, 'the sparkline draws nothing');
        assert(p.scores.some((s) => s.interview_id === interviewId), 'the interview is not among the scores');
        await shot(cp, 'cohort-overview');
        return `${p.answers} answer(s), mean ${p.mean_score}, latest ${p.latest_score}`;
      });
      await axe(cp, 'cohort overview');
      await check('the cohort overview fits a phone screen', () => fitsPhone(cp, 'cohort-overview'));

      const reportOk = overviewOk && await check("the coach opens the candidate's interviews and report: their name on it, nothing to delete or redo", async () => {
        await cp.getByRole('link', { name: `${user1.name}: interviews and progress` }).click();
        await cp.getByRole('heading', { name: `${user1.name}’s interviews`, level: 1 }).waitFor({ timeout: 10000 });
        const row = cp.locator(`tr[data-interview-id="${interviewId}"]`);
        await row.waitFor({ timeout: 10000 });
        await cp.getByRole('heading', { name: `${user1.name}’s figures over time` }).waitFor({ timeout: 10000 });
        assert(await cp.getByRole('button', { name: /^Delete/ }).count() === 0, 'the coach is offered to delete');
        await axe(cp, "a member's interviews (coach)");
        await row.getByRole('link').click();
        await cp.getByRole('heading', { name: `${user1.name}’s answer`, level: 1 }).waitFor({ timeout: 15000 });
        await cp.locator('.transcript .w').first().waitFor({ timeout: 15000 });
        assert(await cp.getByRole('link', { name: 'Practise this question again' }).count() === 0, 'the coach is offered to record it again');
        assert(await cp.getByRole('button', { name: /^(Delete|Try again)/ }).count() === 0, 'the coach is offered to delete or retry');
      });

      const commented = reportOk && await check('the coach comments at a moment of the video; it is listed and marked on every chart', async () => {
        await cp.waitForFunction(() => document.querySelector('#report-video')?.readyState >= 1, null, { timeout: 20000 });
        await cp.locator('#report-video').evaluate((v) => { v.currentTime = 5; });
        await cp.getByText('This moment of the video (0:05)').waitFor({ timeout: 5000 });
        await cp.fill('#comment-body', remark);
        await cp.getByRole('button', { name: 'Add comment' }).click();
        const item = cp.locator('.comment', { hasText: remark });
        await item.waitFor({ timeout: 10000 });
        commentAt = Number(await item.getAttribute('data-at'));
        assert(Math.abs(commentAt - 5) < 0.2, `the comment is at ${commentAt} s`);
        const listed = await pageGet(cp, `/v1/interviews/${interviewId}/comments`);
        assert(listed.comments.length === 1 && listed.comments[0].at_s === commentAt && listed.comments[0].author.is_candidate === false,
          JSON.stringify(listed.comments));
        const charts = await cp.locator('figure.chart[data-chart] .uplot').count();
        const marks = await cp.locator(`.time-mark[data-t="${commentAt}"]`).count();
        assert(charts >= 4 && marks === charts, `${marks} marks on ${charts} charts`);
        await cp.locator('#report-video').evaluate((v) => { v.currentTime = 12; });
        await cp.waitForTimeout(300);
        await item.getByRole('button', { name: `Play from ${clock(commentAt)}` }).click();
        await cp.waitForTimeout(400);
        const now = await cp.locator('#report-video').evaluate((v) => v.currentTime);
        assert(Math.abs(now - commentAt) < 0.3, `the video is at ${now} s after the comment's time was clicked`);
        await shot(cp, 'report-coach-comment');
        return `at ${commentAt} s, ${marks} marks`;
      });
      await axe(cp, 'report with comments (coach)');
      await check('the report with its comments fits a phone screen', () => fitsPhone(cp, 'report-comments'));

      if (commented) {
        await check("the candidate sees the coach's comment on their report, with its time and its marks; adds and deletes their own", async () => {
          await page.goto(`${BASE}/interviews/${interviewId}`);
          await page.getByRole('heading', { name: 'Your feedback', level: 1 }).waitFor({ timeout: 15000 });
          const item = page.locator('.comment', { hasText: remark });
          await item.waitFor({ timeout: 10000 });
          assert((await item.locator('.comment-time').innerText()).trim() === clock(commentAt), 'the time is not shown');
          assert((await item.locator('.comment-author').innerText()).includes(coach.name), 'the coach is not named');
          assert(await item.getByRole('button', { name: /^Delete/ }).count() === 0, "the candidate may delete the coach's comment");
          await page.waitForFunction((t) => document.querySelectorAll(`.time-mark[data-t="${t}"]`).length >= 4, commentAt, { timeout: 10000 });
          await page.getByLabel('The whole answer').check();
          await page.fill('#comment-body', `Thanks! (${run})`);
          await page.getByRole('button', { name: 'Add comment' }).click();
          const mine = page.locator('.comment', { hasText: `Thanks! (${run})` });
          await mine.waitFor({ timeout: 10000 });
          assert(await page.locator('.comment').first().getAttribute('data-comment-id') === await mine.getAttribute('data-comment-id'),
            'a comment on the whole answer is not listed first');
          await shot(page, 'report-candidate-comments');
          await mine.getByRole('button', { name: 'Delete your comment on the whole answer' }).click();
          await mine.getByRole('button', { name: 'Delete', exact: true }).click();
          await mine.waitFor({ state: 'detached', timeout: 10000 });
          const left = await pageGet(page, `/v1/interviews/${interviewId}/comments`);
          assert(left.comments.length === 1, `${left.comments.length} comments left`);
        });
        await check('the account page shows the organisation, the cohort and who coaches the candidate', async () => {
          await page.getByRole('link', { name: 'Account' }).click();
          const org = page.getByTestId('my-organisation');
          await page.getByText(orgName).waitFor({ timeout: 10000 });
          assert((await org.innerText()).trim() === orgName, `organisation "${await org.innerText()}"`);
          const row = page.locator(`tr[data-cohort-id="${cohortId}"]`);
          const text = squash(await row.innerText());
          assert(text.includes(cohortName) && text.includes('Member') && text.includes(coach.name), `cohort row "${text}"`);
        });
        await axe(page, 'account page with cohorts');
      }

      const out = await signedIn('outsider', invOutsider, outsider.password);
      await check("the coach of another cohort gets the not-found page for the report and the cohort's overview", async () => {
        await out.page.goto(`${BASE}/interviews/${interviewId}`);
        await out.page.getByText(/not found/i).first().waitFor({ timeout: 15000 });
        assert(await out.page.locator('.transcript, .comment').count() === 0, 'the report is shown');
        await out.page.goto(`${BASE}/history/coaching/cohorts/${cohortId}`);
        await out.page.getByText('No cohort you coach has this address.').waitFor({ timeout: 10000 });
        const r = await out.page.evaluate((u) => fetch(u).then((x) => x.status), `/v1/interviews/${interviewId}/comments`);
        assert(r === 404, `its comments answered ${r}`);
      });
      await axe(out.page, 'a cohort one does not coach');
      await collectCsp(out.page, 'outsider');
      await out.ctx.close();
    }
    await collectCsp(cp, 'coach');
    await coachSide.ctx.close();
    // leave no organisation (its cohorts go with it) nor these people behind
    const orgs = (await adminApi('GET', '/v1/organisations')).organisations.filter((o) => o.name === orgName);
    for (const o of orgs) await adminApi('DELETE', `/v1/organisations/${o.id}`);
    for (const inv of [invAdmin, invCoach, invOutsider, invStranger]) await adminApi('DELETE', `/v1/users/${inv.user.id}`);
  }

  // 6. another user cannot open the report
  const inv2 = await adminApi('POST', '/v1/invitations', { email: user2.email, name: user2.name });
  const ctx2 = await newContext(browser, 'user2');
  const page2 = await ctx2.newPage();
  await check("another user cannot open the first user's report", async () => {
    await acceptInvitation(page2, inv2.path, user2.password);
    await page2.goto(`${BASE}/interviews/${interviewId}`);
    await page2.getByText(/not found/i).first().waitFor({ timeout: 15000 });
    assert(await page2.locator('.transcript').count() === 0, 'transcript shown to another user');
    await shot(page2, 'other-user-not-found');
  });
  await axe(page2, 'not-found report');
  await ctx2.close();

  // 7. account page (API key once) and admin pages
  let apiKey = null;
  await check('account: create an API key that expires in 90 days (shown once)', async () => {
    await page.getByRole('link', { name: 'Account' }).click();
    await page.fill('#key-name', 'e2e key');
    await page.selectOption('#key-expiry', '90');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = (await page.getByTestId('new-api-key').innerText()).trim();
    assert(key.length > 20, 'no key shown');
    const me = await fetch(`${BASE}/v1/me`, { headers: { Authorization: `Bearer ${key}` } }).then((r) => r.json());
    assert(me.email === user1.email, `the key belongs to ${me.email}`);
    const listed = await fetch(`${BASE}/v1/me/keys`, { headers: { Authorization: `Bearer ${key}` } }).then((r) => r.json());
    const mine = listed.keys.find((k) => k.name === 'e2e key');
    const days = Math.round((Date.parse(mine.expires_at) - Date.parse(mine.created_at)) / 86400000);
    assert(days === 90, `the key expires in ${days} days`);
    const row = page.locator('tr', { hasText: 'e2e key' });
    await row.waitFor({ timeout: 5000 });
    assert(!(await row.innerText()).includes('Never'), 'the table says the key never expires');
    await shot(page, 'account');
    apiKey = key;
  });
  await axe(page, 'account page');

  await check('a recording that cannot be processed shows the reason and a new attempt', async () => {
    assert(apiKey, 'no API key');
    const auth = { Authorization: `Bearer ${apiKey}` };
    const created = await fetch(`${BASE}/v1/interviews`, {
      method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ question_id: QUESTION_ID }),
    }).then((r) => r.json());
    const put = await fetch(`${BASE}/v1/interviews/${created.id}/recording`, {
      method: 'PUT', headers: { ...auth, 'Content-Type': 'video/webm' }, body: 'this is not a video at all, just text',
    });
    assert(put.status === 202, `PUT recording answered ${put.status}`);
    await page.goto(`${BASE}/interviews/${created.id}`);
    const err = page.locator('.progress-panel .error[role=alert]');
    await err.waitFor({ timeout: 60000 });
    const text = (await err.locator('p').first().innerText()).trim();
    assert(text.length > 10, 'no reason shown');
    await page.getByRole('link', { name: 'Record a new attempt' }).waitFor();
    await shot(page, 'processing-failed');
    await axe(page, 'failed interview');
    await fetch(`${BASE}/v1/interviews/${created.id}`, { method: 'DELETE', headers: auth });
    return `"${text}"`;
  });

  await check('a failed interview is tried again from its recording with one click', async () => {
    assert(apiKey, 'no API key');
    const auth = { Authorization: `Bearer ${apiKey}` };
    const sample = readFileSync(join(TEST_MEDIA, 'sample.webm'));
    const created = await fetch(`${BASE}/v1/interviews`, {
      method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ question_id: QUESTION_ID, size_bytes: sample.length }),
    }).then((r) => r.json());
    // Bytes that are no recording, of the recording's size: the presigned URL takes either.
    let r = await fetch(created.upload.url, { method: 'PUT', body: Buffer.alloc(sample.length, 0x41) });
    assert(r.ok, `PUT to the upload URL answered ${r.status}`);
    r = await fetch(`${BASE}/v1/interviews/${created.id}/uploaded`, { method: 'POST', headers: auth });
    assert(r.status === 202, `uploaded answered ${r.status}`);
    await page.goto(`${BASE}/interviews/${created.id}`);
    const failure = page.locator('.progress-panel .error[role=alert]');
    // Once (a fresh-clone run, under load) the failure did not show within
    // 60 s although the interview had failed at once; locally it never
    // happened again. What the page and the API said then is reported, and
    // the page loaded again as a candidate would, so that the retry is
    // still checked; the note travels in this check's result.
    let note = '';
    try {
      await failure.waitFor({ timeout: 45000 });
    } catch (e) {
      await shot(page, 'retry-failure-not-shown');
      const api = await fetch(`${BASE}/v1/interviews/${created.id}`, { headers: auth }).then((x) => x.json());
      const said = (await page.locator('main').innerText()).replace(/\s+/g, ' ').slice(0, 300);
      note = `; NOTE the failure was not shown for 45 s (API: ${api.status}; page: "${said}"), shown after a reload`;
      await page.reload();
      await failure.waitFor({ timeout: 30000 });
    }
    r = await fetch(created.upload.url, { method: 'PUT', body: sample });
    assert(r.ok, `PUT of the real recording answered ${r.status}`);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.locator('.transcript .w').first().waitFor({ timeout: 240000 });
    const iv = await fetch(`${BASE}/v1/interviews/${created.id}`, { headers: auth }).then((x) => x.json());
    assert(iv.status === 'complete' && iv.failure_reason === null, `status ${iv.status}: ${iv.failure_reason}`);
    await fetch(`${BASE}/v1/interviews/${created.id}`, { method: 'DELETE', headers: auth });
    return `failed, then complete after "Try again"${note}`;
  });

  await check('revoke the API key', async () => {
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByRole('button', { name: 'Revoke the key e2e key' }).click();
    await page.getByRole('button', { name: 'Revoke', exact: true }).click();
    await page.getByText('No API keys.').waitFor({ timeout: 10000 });
    const r = await fetch(`${BASE}/v1/me`, { headers: { Authorization: `Bearer ${apiKey}` } });
    assert(r.status === 401, `a revoked key still answers ${r.status}`);
  });

  const inv3 = await adminApi('POST', '/v1/invitations', { email: admin.email, name: admin.name, role: 'admin' });
  const ctx3 = await newContext(browser, 'admin');
  const page3 = await ctx3.newPage();
  await check('an administrator sees users and the question bank', async () => {
    await acceptInvitation(page3, inv3.path, admin.password);
    await page3.getByRole('link', { name: 'Admin', exact: true }).click();
    await page3.getByRole('heading', { name: 'Question bank' }).waitFor({ timeout: 10000 });
    await page3.getByText(user1.email).waitFor({ timeout: 10000 });
    await page3.fill('#invite-email', `e2e-invitee-${run}@example.test`);
    await page3.fill('#invite-name', 'E2E Invitee');
    await page3.getByRole('button', { name: 'Create invitation' }).click();
    const link = (await page3.getByTestId('invitation-link').innerText()).trim();
    assert(link.startsWith(`${BASE}/invite/`), `invitation link ${link}`);
    await shot(page3, 'admin');
    return link;
  });
  await check('an administrator adds a question to the bank and retires it', async () => {
    const qid = `e2e-${run}`;
    await page3.fill('#qf-id', qid);
    await page3.selectOption('#qf-category', 'technical');
    await page3.fill('#qf-role', 'tester');
    await page3.fill('#qf-text', `How do you test a web app end to end? (${run})`);
    await page3.fill('#qf-points', 'the tools\nwhat you check');
    const bankLanguage = (await serverLanguages())?.languages?.some((l) => l.code === 'pt-BR') ? 'pt-BR' : null;
    if (bankLanguage) await page3.selectOption('#qf-language', bankLanguage);
    await page3.getByRole('button', { name: 'Add question' }).click();
    await page3.getByText('The question was added.').waitFor({ timeout: 10000 });
    const row = page3.locator('section[aria-labelledby=bank-title] tbody tr', { hasText: qid });
    await row.waitFor();
    const whose = (await row.locator('td[data-col=organisation]').innerText()).trim();
    assert(whose === 'Shared bank (everyone)', `the question is listed as ${whose}'s`);
    await row.getByRole('button', { name: `Retire ${qid}` }).click();
    await row.getByText('Retired').waitFor({ timeout: 10000 });
    const q = await adminApi('GET', `/v1/questions/${qid}`);
    assert(q.retired === true && q.category === 'technical' && q.talking_points.length === 2 && q.organisation_id === null, JSON.stringify(q));
    assert(!bankLanguage || q.language === bankLanguage, `the question's language is ${q.language}`);
  });
  await check('an administrator deletes the invited user', async () => {
    const row = page3.locator('section[aria-labelledby=users-title] tbody tr', { hasText: `e2e-invitee-${run}@example.test` });
    await row.waitFor({ timeout: 10000 });
    await row.getByRole('button', { name: /^Delete E2E Invitee/ }).click();
    await shot(page3, 'admin-delete-user');
    await row.getByRole('button', { name: 'Delete', exact: true }).click();
    await row.waitFor({ state: 'detached', timeout: 15000 });
    const users = await adminApi('GET', '/v1/users');
    assert(!users.users.some((u) => u.email === `e2e-invitee-${run}@example.test`), 'the user is still listed');
  });
  await axe(page3, 'admin page');
  await ctx3.close();

  // 8. delete
  const rawDir = join(STATE, 's3', 'data', BUCKET, 'raw', interviewId);
  const mediaDir = join(STATE, 's3', 'data', BUCKET, 'media', interviewId);
  const hadObjects = existsSync(rawDir) || existsSync(mediaDir);
  await check('delete the interview: the row disappears and its objects leave S3', async () => {
    await page.getByRole('link', { name: 'History' }).click();
    const row = page.locator(`tr[data-interview-id="${interviewId}"]`);
    await row.waitFor({ timeout: 10000 });
    await row.getByRole('button', { name: /^Delete the interview/ }).click();
    await shot(page, 'delete-confirm');
    await row.getByRole('button', { name: 'Delete', exact: true }).click();
    await row.waitFor({ state: 'detached', timeout: 15000 });
    await page.reload();
    await page.getByRole('heading', { name: 'Your interviews' }).waitFor();
    await page.waitForTimeout(1000);
    assert(await page.locator(`tr[data-interview-id="${interviewId}"]`).count() === 0, 'row back after reload');
    let gone = false;
    for (let i = 0; i < 20 && !gone; i++) {
      gone = !existsSync(rawDir) && !existsSync(mediaDir);
      if (!gone) await new Promise((r) => setTimeout(r, 500));
    }
    assert(gone, `still in S3: ${[rawDir, mediaDir].filter(existsSync).join(', ')}`);
    await shot(page, 'deleted');
    return hadObjects ? 'objects were there before and are gone' : 'objects absent (none seen before deletion)';
  });
  await collectCsp(page, 'history after delete');
  await ctx1.close();

  // 9. camera permission denied
  const browser2 = await chromium.launch({ executablePath: CHROMIUM, args: fakeMedia });
  try {
    const ctx4 = await newContext(browser2, 'denied', { permissions: [] });
    const page4 = await ctx4.newPage();
    await check('with camera permission denied the record page says so', async () => {
      await signIn(page4, user1.email, user1.password);
      await page4.goto(`${BASE}/record?question_id=${QUESTION_ID}`);
      const alert = page4.locator('.error[role=alert]').filter({ hasText: /denied/i });
      await alert.waitFor({ timeout: 20000 });
      assert(await page4.getByRole('button', { name: 'Start recording' }).isDisabled(), 'recording still possible');
      await shot(page4, 'camera-denied');
      return `"${(await alert.locator('p').first().innerText()).trim()}"`;
    });
    await axe(page4, 'record page, camera denied');
    await ctx4.close();
  } finally {
    await browser2.close();
  }

  // 9b. mock interviews, and the question bank's search, export and import
  // (answers of 15 s at most: the time limit stops the first, the candidate the second)
  const MOCK_ANSWER_MAX_S = 15;
  const MOCK_THINKING_S = 2;
  const ctxM = await newContext(browser, 'mock');
  await ctxM.grantPermissions(['camera', 'microphone'], { origin: BASE });
  const pageM = await ctxM.newPage();
  await signIn(pageM, user1.email, user1.password);
  const mockStarted = Date.now();

  await check('the picker searches the bank on the server by a word, and filters by level', async () => {
    const api = (q) => adminApi('GET', `/v1/questions?${q}`).then((r) => r.questions.map((x) => x.id));
    const byWord = await api('q=yourself');
    const bySenior = await api('q=yourself&level=senior');
    assert(byWord.includes('tell-me-about-yourself') && bySenior.length < byWord.length, `API: ${byWord} / ${bySenior}`);
    await pageM.fill('#q-search', 'yourself');
    const count = pageM.getByTestId('picker-count');
    await pageM.waitForFunction((n) => new RegExp(`^${n} of `).test(document.querySelector('[data-testid=picker-count]')?.textContent ?? ''),
      byWord.length, { timeout: 10000 });
    const shown = await pageM.$$eval('li.question[data-question-id]', (els) => els.map((e) => e.getAttribute('data-question-id')));
    assert(JSON.stringify([...shown].sort()) === JSON.stringify([...byWord].sort()), `shown ${shown}, API ${byWord}`);
    await pageM.selectOption('#q-level', 'senior');
    await pageM.waitForFunction((n) => new RegExp(`^${n} of `).test(document.querySelector('[data-testid=picker-count]')?.textContent ?? ''),
      bySenior.length, { timeout: 10000 });
    await shot(pageM, 'picker-search');
    return `"yourself": ${byWord.length} questions, at senior level ${bySenior.length} ("${(await count.innerText()).trim()}")`;
  });
  await axe(pageM, 'question picker with a search');

  let mockId = null;
  const mockSet = await check('set up a mock interview of two questions chosen from the bank', async () => {
    await pageM.getByRole('link', { name: 'Mock interview', exact: true }).click();
    await pageM.getByRole('heading', { name: 'Start a mock interview' }).waitFor({ timeout: 15000 });
    await pageM.getByTestId('mock-plan').waitFor();
    await axe(pageM, 'mock interview setup (a draw)');
    await pageM.getByLabel('Chosen by you from the bank').check();
    for (const [word, text] of [['hard problem', 'Tell me about a time you solved a hard problem.'], ['yourself', 'Tell me about yourself.']]) {
      await pageM.fill('#mock-search', word);
      const add = pageM.getByRole('button', { name: `Add: ${text}`, exact: true });
      await add.waitFor({ timeout: 10000 });
      await add.click();
    }
    const chosen = await pageM.$$eval('ol.chosen li', (els) => els.map((e) => e.getAttribute('data-question-id')));
    assert(chosen.join() === 'hard-problem,tell-me-about-yourself', `chosen ${chosen}`);
    await pageM.fill('#mock-thinking', String(MOCK_THINKING_S));
    await pageM.fill('#mock-answer-max', String(MOCK_ANSWER_MAX_S));
    await shot(pageM, 'mock-setup');
    await axe(pageM, 'mock interview setup (chosen questions)');
    await pageM.getByRole('button', { name: 'Start the mock interview' }).click();
    await pageM.waitForURL(/\/interviews\/mock\/[0-9a-f-]{36}$/, { timeout: 15000 });
    mockId = new URL(pageM.url()).pathname.split('/').pop();
    const mk = await adminApi('GET', `/v1/mock-interviews/${mockId}`).catch(() => null);
    assert(mk === null, 'another user (the admin key) sees the mock interview');
    return `mock interview ${mockId}`;
  });

  const answer = async (n, byHandAfterS) => {
    if (n > 1) await pageM.getByRole('button', { name: `Next question (${n} of 2)` }).click();
    const position = pageM.getByTestId('mock-position');
    await position.waitFor({ timeout: 15000 });
    const said = (await position.textContent()).trim();
    assert(said === `Question ${n} of 2`, `position "${said}"`);
    if (n === 1) {
      const start = pageM.getByRole('button', { name: 'Start', exact: true });
      await start.waitFor({ timeout: 20000 });
      await pageM.waitForFunction(() => document.querySelector('video.preview')?.videoWidth > 0, null, { timeout: 10000 });
      await pageM.waitForFunction(() => !document.querySelector('.stage-area button:disabled'), null, { timeout: 10000 });
      await axe(pageM, 'mock interview, a question before it starts');
      await start.click();
    }
    // the thinking countdown: visible, announced, skippable (not skipped here)
    const big = pageM.locator('[data-testid=thinking] .big');
    await big.waitFor({ timeout: 3000 });
    const first = Number(await big.innerText());
    const announced = (await pageM.getByTestId('mock-announce').textContent()).trim();
    assert(first >= 1 && first <= MOCK_THINKING_S, `countdown shows ${first}`);
    assert(/Recording starts in/.test(announced), `screen readers hear "${announced}"`);
    await pageM.getByRole('button', { name: 'Start recording now' }).waitFor();
    if (n === 1) await shot(pageM, 'mock-thinking');
    const stop = pageM.getByRole('button', { name: 'Stop recording' });
    await stop.waitFor({ timeout: 10000 });
    const recordingFrom = Date.now();
    await pageM.getByTestId('answer-left').waitFor();
    let how;
    if (byHandAfterS) {
      await pageM.waitForTimeout(byHandAfterS * 1000);
      await stop.click();
      how = `stopped by hand after ${byHandAfterS} s`;
    } else {
      await pageM.waitForTimeout(3000);
      await shot(pageM, 'mock-recording');
      await pageM.getByTestId('auto-stopped').waitFor({ timeout: (MOCK_ANSWER_MAX_S + 10) * 1000 });
      const took = (Date.now() - recordingFrom) / 1000;
      assert(took >= MOCK_ANSWER_MAX_S - 1 && took <= MOCK_ANSWER_MAX_S + 4, `the recording stopped after ${took.toFixed(1)} s`);
      how = `stopped by the ${MOCK_ANSWER_MAX_S} s limit after ${took.toFixed(1)} s`;
    }
    await pageM.getByRole('heading', { name: `Answer ${n} sent` }).waitFor({ timeout: 60000 });
    return `"${said}", thinking countdown from ${first} ("${announced}"), ${how}`;
  };

  const mockAnswered = mockSet && await check(`answer 1: the position, a ${MOCK_THINKING_S} s thinking countdown, recording stopped at ${MOCK_ANSWER_MAX_S} s`,
    () => answer(1, 0));
  if (mockAnswered) await axe(pageM, 'mock interview, an answer sent');
  const mockDone = mockAnswered && await check('answer 2: stopped by hand, then finish', async () => {
    const said = await answer(2, 8);
    await pageM.getByRole('button', { name: 'Finish and see the report' }).click();
    await pageM.waitForURL(new RegExp(`/interviews/mock/${mockId}/report$`), { timeout: 15000 });
    return said;
  });

  let mockReport = null;
  if (mockDone) {
    await check('the combined report shows the figures of GET /v1/mock-interviews/{id}/report', async () => {
      await pageM.locator('.mock-report[data-settled=true]').waitFor({ timeout: 240000 });
      const r = await pageM.evaluate((p) => fetch(p).then((x) => x.json()), `/v1/mock-interviews/${mockId}/report`);
      mockReport = r;
      assert(r.status === 'finished' && r.complete === 2 && r.processing === 0, `status ${r.status}, complete ${r.complete}, failed ${r.failed}`);
      const text = async (sel) => (await pageM.locator(sel).first().innerText()).trim();
      const score = (v) => (typeof v === 'number' ? String(Math.round(v)) : '–');
      assert(await text('[data-testid=mock-overall] .score') === score(r.overall), `overall ${await text('[data-testid=mock-overall] .score')} vs ${r.overall}`);
      for (const [p, v] of Object.entries(r.parts)) {
        assert(await text(`.mock-scores [data-part=${p}] .score`) === score(v), `part ${p}: ${await text(`.mock-scores [data-part=${p}] .score`)} vs ${v}`);
      }
      for (const a of r.answers) {
        const row = `.mock-answers tr[data-position="${a.position}"]`;
        assert(await text(`${row} td[data-col=overall] .score`) === score(a.overall), `answer ${a.position} overall`);
        for (const [p, v] of Object.entries(a.parts)) assert(await text(`${row} td[data-col=${p}] .score`) === score(v), `answer ${a.position} ${p}`);
        assert(await pageM.locator(`${row} a[href="/interviews/${a.interview_id}"]`).count() === 1, `answer ${a.position} has no link to its report`);
      }
      assert(r.change, 'no change from the first answer to the last');
      const overallWords = await text('[data-testid=change-overall]');
      assert(overallWords.includes(`from ${score(r.change.overall.first)} in answer 1 to ${score(r.change.overall.last)} in answer 2`), `"${overallWords}"`);
      assert(await pageM.locator('ul.improved li').count() === r.change.improved.length, 'improved criteria differ');
      assert(await pageM.locator('ul.dropped li').count() === r.change.dropped.length, 'dropped criteria differ');
      const moved = await pageM.locator('ul.improved li, ul.dropped li').allInnerTexts();
      assert(moved.every((w) => !/_/.test(w)), `a metric's name untranslated: ${moved.find((w) => /_/.test(w))}`);
      assert(r.top_tips.length >= 1, 'the API has no top tip');
      const tips = pageM.locator('ol.mock-tips > li');
      assert(await tips.count() === r.top_tips.length, `${await tips.count()} tips shown, the API has ${r.top_tips.length}`);
      for (const [i, tip] of r.top_tips.entries()) {
        assert(await tips.nth(i).getAttribute('data-metric') === tip.metric, `tip ${i + 1} is not ${tip.metric}`);
        assert((await tips.nth(i).locator('.tip-message').innerText()).trim() === tip.message.trim(), `tip ${i + 1}'s words`);
        assert(await tips.nth(i).locator('.moments a').count() === tip.moments.length, `tip ${i + 1}'s moments`);
      }
      await shot(pageM, 'mock-report');
      return `overall ${r.overall}, parts ${JSON.stringify(r.parts)}; ${r.change.improved.length} improved, `
        + `${r.change.dropped.length} dropped; top tips ${r.top_tips.map((x) => x.metric).join(', ')}; `
        + `report settled ${((Date.now() - mockStarted) / 1000).toFixed(0)} s after the mock block began`;
    });
    await axe(pageM, 'combined mock interview report');

    await check('the combined report fits a phone screen', async () => {
      await pageM.setViewportSize({ width: 390, height: 844 });
      await pageM.waitForTimeout(400);
      const [sw, iw] = await pageM.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      await shot(pageM, 'mock-report-phone');
      await pageM.setViewportSize({ width: 1280, height: 900 });
      assert(sw <= iw + 1, `page is ${sw} px wide on a ${iw} px screen`);
    });

    await check("a top tip's moment link opens that answer's report there", async () => {
      const tip = pageM.locator('ol.mock-tips > li').first();
      const link = tip.locator('.moments a').first();
      const href = await link.getAttribute('href');
      const m = /^\/interviews\/([0-9a-f-]{36})(?:\?t=([\d.]+))?$/.exec(href ?? '');
      assert(m, `moment link ${href}`);
      const moment = mockReport.top_tips[0].moments[0];
      const timed = typeof moment.start === 'number';
      assert(m[1] === moment.interview_id && m[2] === (timed ? String(Math.round(moment.start * 10) / 10) : undefined),
        `${href} for the moment ${JSON.stringify(moment)}`);
      await link.click();
      await pageM.waitForURL(`${BASE}${href}`, { timeout: 10000 });
      const seekTo = async (t) => pageM.waitForFunction((want) => {
        const v = document.querySelector('#report-video');
        return v && v.readyState >= 1 && Math.abs(v.currentTime - want) < 0.6;
      }, t, { timeout: 20000 });
      if (timed) await seekTo(moment.start);
      // the tips of short answers often point at 0:00: a later moment shows that the address moves the video
      await pageM.goto(`${BASE}/interviews/${m[1]}?t=6.5`);
      await seekTo(6.5);
      const at = await pageM.locator('#report-video').evaluate((v) => v.currentTime);
      return `${href} opened${timed ? ` at ${moment.start} s` : ''}; ?t=6.5 opened at ${at.toFixed(1)} s`;
    });

    await check('the mock interview is listed, finished, with its report', async () => {
      await pageM.goto(`${BASE}/interviews/mock`);
      const row = pageM.locator(`tr[data-mock-id="${mockId}"]`);
      await row.waitFor({ timeout: 10000 });
      const text = (await row.innerText()).replace(/\s+/g, ' ');
      assert(/2 of 2/.test(text) && /Finished/.test(text), `row: ${text}`);
      assert(await row.locator(`a[href="/interviews/mock/${mockId}/report"]`).count() === 1, 'no report link');
      return text.trim();
    });
    await axe(pageM, 'mock interview list');

    await check("a retake's report shows the earlier answers to its question side by side", async () => {
      // a retake of the mock's first question: the sample answer, uploaded as this person through the gateway
      const media = readFileSync(join(TEST_MEDIA, 'sample.webm')).toString('base64');
      const id = await pageM.evaluate(async ({ b64, qid }) => {
        const csrf = (await fetch('/v1/me').then((r) => r.json())).csrf_token;
        const made = await fetch('/v1/interviews', {
          method: 'POST', headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' }, body: JSON.stringify({ question_id: qid }),
        }).then((r) => r.json());
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const put = await fetch(`/v1/interviews/${made.id}/recording`, {
          method: 'PUT', headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'video/webm' }, body: bytes,
        });
        return put.status === 202 ? made.id : `PUT answered ${put.status}`;
      }, { b64: media, qid: mockReport.answers[0].question_id });
      assert(/^[0-9a-f-]{36}$/.test(id), id);
      let iv = null;
      for (let i = 0; i < 120 && iv?.status !== 'complete'; i++) {
        if (i) await pageM.waitForTimeout(500);
        iv = await pageM.evaluate((p) => fetch(p).then((r) => r.json()), `/v1/interviews/${id}`);
        assert(iv.status !== 'failed', `the retake failed: ${iv.failure_reason}`);
      }
      assert(iv.status === 'complete', `the retake is ${iv.status}`);
      assert(iv.attempts.length >= 2 && iv.attempts.some((a) => a.id === mockReport.answers[0].interview_id),
        `attempts ${JSON.stringify(iv.attempts.map((a) => a.id))}`);
      await pageM.goto(`${BASE}/interviews/${id}`);
      const section = pageM.locator('section.attempts');
      await section.waitFor({ timeout: 20000 });
      const cells = await section.locator('td[data-attempt]').evaluateAll((els) => els.map((e) => e.getAttribute('data-attempt')));
      assert(JSON.stringify(cells) === JSON.stringify(iv.attempts.map((a) => a.id)), `columns ${cells}, API ${iv.attempts.map((a) => a.id)}`);
      assert(await section.locator(`td[data-attempt="${id}"] [aria-current=page]`).count() === 1, 'this answer is not marked');
      await axe(pageM, 'report with attempts');
      return `${cells.length} attempts at "${mockReport.answers[0].question_id}" side by side`;
    });
  }
  console.log(`${stamp()} TIME mock interview block: ${((Date.now() - mockStarted) / 1000).toFixed(1)} s`);
  await collectCsp(pageM, 'mock interview pages');
  await ctxM.close();

  const ctxA = await newContext(browser, 'bank admin');
  const pageA = await ctxA.newPage();
  await signIn(pageA, admin.email, admin.password);
  await check('a failed answer of a mock interview shows its reason and can be recorded again', async () => {
    await pageA.goto(`${BASE}/`);
    await pageA.getByRole('heading', { name: 'Choose a question' }).waitFor({ timeout: 15000 });
    // made through the API as the signed-in person: a one-question mock interview whose answer is no recording
    const made = await pageA.evaluate(async () => {
      const csrf = (await fetch('/v1/me').then((r) => r.json())).csrf_token;
      const call = (method, path, body, type = 'application/json') => fetch(path, {
        method, headers: { 'X-CSRF-Token': csrf, 'Content-Type': type }, body: typeof body === 'string' ? body : JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: await r.text() }));
      const mk = JSON.parse((await call('POST', '/v1/mock-interviews', { question_ids: ['hard-problem'], answer_max_s: 15 })).body);
      const iv = JSON.parse((await call('POST', '/v1/interviews', { question_id: 'hard-problem' })).body);
      const put = await call('PUT', `/v1/interviews/${iv.id}/recording`, 'this is not a video at all', 'video/webm');
      const attached = await call('POST', `/v1/mock-interviews/${mk.id}/answers`, { interview_id: iv.id });
      return { mockId: mk.id, put: put.status, attached: attached.status };
    });
    assert(made.put === 202 && made.attached === 200, JSON.stringify(made));
    await pageA.goto(`${BASE}/interviews/mock/${made.mockId}/report`);
    const row = pageA.locator('.mock-answers tr[data-position="1"][data-status=failed]');
    await row.waitFor({ timeout: 60000 });
    const reason = (await row.locator('.failure').innerText()).trim();
    assert(reason.length > 10, 'no failure reason');
    await axe(pageA, 'combined report with a failed answer');
    await row.getByRole('link', { name: 'Record answer 1 again' }).click();
    await pageA.waitForURL(new RegExp(`/interviews/mock/${made.mockId}\\?position=1$`), { timeout: 10000 });
    assert((await pageA.getByTestId('mock-position').textContent()).trim() === 'Question 1 of 1', 'not at question 1');
    await pageA.getByRole('button', { name: 'Start', exact: true }).waitFor({ timeout: 20000 });
    return `"${reason}"`;
  });
  await check('an administrator exports the bank as CSV', async () => {
    await pageA.goto(`${BASE}/admin`);
    const link = pageA.locator('a[data-format=csv]');
    await link.waitFor({ timeout: 15000 });
    const [download] = await Promise.all([pageA.waitForEvent('download', { timeout: 15000 }), link.click()]);
    const csv = readFileSync(await download.path(), 'utf8');
    const header = csv.split(/\r?\n/)[0];
    assert(header === 'id,category,role,level,language,text,talking_points,star,retired,organisation_id', `header "${header}"`);
    const rows = csv.split(/\r?\n/).filter(Boolean).length - 1;
    assert(rows >= 200, `${rows} rows`);
    return `${download.suggestedFilename()}: "${header}", ${rows} rows`;
  });
  const importedId = `e2e-import-${run}`;
  await check('an administrator imports a JSON file with one new question; the picker then finds it', async () => {
    const file = join(OUT, `import-${run}.json`);
    writeFileSync(file, JSON.stringify({
      format: 'isim-questions/1',
      questions: [{
        id: importedId, category: 'technical', role: 'tester', level: 'senior', language: 'en',
        text: `How would you test a feature end to end? (zebracorn ${run})`, talking_points: ['the user flows', 'the edge cases'],
      }],
    }));
    await pageA.setInputFiles('#bank-file', file);
    await pageA.selectOption('#bank-mode', 'missing');
    await pageA.getByRole('button', { name: 'Import', exact: true }).click();
    const result = pageA.getByTestId('import-result');
    await result.waitFor({ timeout: 15000 });
    const said = (await result.innerText()).trim();
    assert(said === '1 question in the file: 1 added, 0 updated, 0 unchanged.', `"${said}"`);
    await shot(pageA, 'admin-import');
    await pageA.getByRole('link', { name: 'Practise', exact: true }).click();
    await pageA.fill('#q-search', `zebracorn ${run}`);
    await pageA.waitForFunction(() => /^1 of /.test(document.querySelector('[data-testid=picker-count]')?.textContent ?? ''),
      null, { timeout: 10000 });
    const card = pageA.locator(`li.question[data-question-id="${importedId}"]`);
    assert(await card.count() === 1 && await pageA.locator('li.question').count() === 1, 'the search does not find the imported question alone');
    assert(/Senior/.test(await card.innerText()), 'the imported level is not shown');
    return `"${said}"; found by "zebracorn"`;
  });
  await adminApi('DELETE', `/v1/questions/${importedId}`).catch(() => {});
  await collectCsp(pageA, 'admin bank tools');
  await ctxA.close();

  if (mockId) {
    const ctxMPt = await newContext(browser, 'mock pt-BR', { locale: 'pt-BR' });
    const pageMPt = await ctxMPt.newPage();
    await check('in Portuguese: the mock interview pages', async () => {
      await signIn(pageMPt, user1.email, user1.password);
      await pageMPt.getByRole('link', { name: 'Entrevista simulada', exact: true }).click();
      await pageMPt.getByRole('heading', { name: 'Começar uma entrevista simulada' }).waitFor({ timeout: 15000 });
      const plan = (await pageMPt.getByTestId('mock-plan').innerText()).trim();
      assert(/^4 perguntas: 1 geral, 2 comportamentais e 1 situacional\.$/.test(plan), `the plan reads "${plan}"`);
      await axe(pageMPt, 'mock interview setup in Portuguese');
      await pageMPt.goto(`${BASE}/interviews/mock/${mockId}/report`);
      await pageMPt.getByRole('heading', { name: 'Da primeira resposta à última' }).waitFor({ timeout: 15000 });
      const said = (await pageMPt.getByTestId('change-overall').innerText()).trim();
      assert(/^Sua pontuação geral foi de \d+ na resposta 1 para \d+ na resposta 2: /.test(said), `"${said}"`);
      await axe(pageMPt, 'combined mock interview report in Portuguese');
      return `"${plan}"; "${said}"`;
    });
    await collectCsp(pageMPt, 'mock interview pages in Portuguese');
    await ctxMPt.close();
  }

  // 10. the interface in Brazilian Portuguese, and back to English
  const ctxPt = await newContext(browser, 'pt-BR', { locale: 'pt-BR' });
  const pagePt = await ctxPt.newPage();
  await check('a browser in Brazilian Portuguese gets the interface in Portuguese', async () => {
    await pagePt.goto(`${BASE}/signin`);
    await pagePt.getByRole('heading', { name: 'Entrar' }).waitFor({ timeout: 15000 });
    const lang = await pagePt.evaluate(() => document.documentElement.lang);
    assert(lang === 'pt-BR', `<html lang="${lang}">`);
    assert(await pagePt.locator('label[for=password]').innerText() === 'Senha', 'the password field is not labelled Senha');
    assert(/Simulador de Entrevistas/.test(await pagePt.title()), `title "${await pagePt.title()}"`);
    await shot(pagePt, 'signin-pt-BR');
  });
  await axe(pagePt, 'sign-in page in Portuguese');
  await check('in Portuguese: a wrong password is refused in Portuguese', async () => {
    await pagePt.fill('#email', user1.email);
    await pagePt.fill('#password', 'definitely-not-the-password');
    await pagePt.getByRole('button', { name: 'Entrar' }).click();
    const alert = pagePt.locator('.error[role=alert]');
    await alert.waitFor({ timeout: 10000 });
    const text = (await alert.innerText()).trim();
    assert(text === 'E-mail ou senha incorretos.', `"${text}"`);
  });
  await check('in Portuguese: sign in, the question picker and the record page', async () => {
    await pagePt.fill('#password', user1.password);
    await pagePt.getByRole('button', { name: 'Entrar' }).click();
    await pagePt.waitForURL(`${BASE}/`, { timeout: 15000 });
    await pagePt.getByRole('heading', { name: 'Escolha uma pergunta' }).waitFor({ timeout: 15000 });
    await pagePt.getByRole('link', { name: 'Histórico' }).waitFor();
    const count = pagePt.locator('main p[role=status]', { hasText: / de / });
    await count.waitFor({ timeout: 15000 });
    const status = (await count.innerText()).trim();
    assert(/^\d+ de [\d.]+ perguntas?$/.test(status), `the count reads "${status}"`);
    await shot(pagePt, 'question-picker-pt-BR');
    return `"${status}"`;
  });
  await axe(pagePt, 'question picker in Portuguese');
  await check('in Portuguese: the answer\'s language follows the interface, and the server\'s languages', async () => {
    const served = await serverLanguages();
    const codes = (served?.languages ?? []).map((l) => l.code);
    await pagePt.goto(`${BASE}/record?question=${encodeURIComponent('Conte sobre um projeto difícil que você liderou.')}`);
    const select = pagePt.locator('#interview-language');
    await select.waitFor({ timeout: 15000 });
    const value = await select.inputValue();
    const options = await select.locator('option').evaluateAll((os) => os.map((o) => o.value));
    if (codes.includes('pt-BR')) {
      assert(value === 'pt-BR', `proposed ${value}`);
      assert(options.includes('en') && options.includes('auto') === (served.auto === true), `options ${options}`);
      assert(await select.isEnabled(), 'the choice is disabled');
    } else {
      // a server without GET /v1/languages: English only, nothing to choose
      assert(value === 'en' && options.length === 1 && await select.isDisabled(), `value ${value}, options ${options}`);
    }
    await pagePt.getByRole('button', { name: 'Começar a gravar' }).waitFor({ timeout: 20000 });
    await shot(pagePt, 'record-pt-BR');
    return `server languages [${codes.join(', ') || 'none: 404'}]; proposed ${value} of [${options.join(', ')}]`;
  });
  await axe(pagePt, 'record page in Portuguese');
  await check('the language switch turns the interface to English and is remembered', async () => {
    await pagePt.goto(`${BASE}/`);
    await pagePt.getByRole('heading', { name: 'Escolha uma pergunta' }).waitFor({ timeout: 15000 });
    await pagePt.locator('#ui-language').selectOption('en');
    await pagePt.getByRole('heading', { name: 'Choose a question' }).waitFor({ timeout: 5000 });
    assert(await pagePt.evaluate(() => document.documentElement.lang) === 'en', 'html lang is not en');
    await pagePt.reload();
    await pagePt.getByRole('heading', { name: 'Choose a question' }).waitFor({ timeout: 15000 });
    await pagePt.getByRole('link', { name: 'History' }).waitFor();
    const stored = await pagePt.evaluate(() => localStorage.getItem('isim.lang'));
    assert(stored === 'en', `stored ${stored}`);
    await pagePt.locator('#ui-language').selectOption('pt-BR');
    await pagePt.getByRole('heading', { name: 'Escolha uma pergunta' }).waitFor({ timeout: 5000 });
  });
  await collectCsp(pagePt, 'pages in Portuguese');
  await ctxPt.close();

  // 11. an answer spoken in Portuguese gets a Portuguese report: needs a
  // server that transcribes Portuguese (GET /v1/languages lists pt-BR)
  const served = await serverLanguages();
  const ptName = 'an answer spoken in Portuguese gets a report in Portuguese';
  if (!(served?.languages ?? []).some((l) => l.code === 'pt-BR')) {
    skip(ptName, 'GET /v1/languages does not list pt-BR on this server');
  } else {
    const browser3 = await chromium.launch({
      executablePath: CHROMIUM, args: ['--use-fake-ui-for-media-stream', ...fakeMediaWith('speech-pt.wav')],
    });
    try {
      const ctx6 = await newContext(browser3, 'pt-BR answer', { locale: 'pt-BR' });
      await ctx6.grantPermissions(['camera', 'microphone'], { origin: BASE });
      const page6 = await ctx6.newPage();
      const reported = await check(ptName, async () => {
        await signIn(page6, user1.email, user1.password);
        await page6.goto(`${BASE}/record?question=${encodeURIComponent('Conte sobre um projeto difícil que você liderou.')}`);
        await page6.getByRole('button', { name: 'Começar a gravar' }).waitFor({ timeout: 20000 });
        assert(await page6.locator('#interview-language').inputValue() === 'pt-BR', 'the answer\'s language is not pt-BR');
        await page6.selectOption('#thinking', '0');
        await page6.getByRole('button', { name: 'Começar a gravar' }).click();
        await page6.getByRole('button', { name: 'Parar a gravação' }).waitFor({ timeout: 10000 });
        // the whole answer (about 30 s) at least once, wherever the looping file stood
        await page6.waitForTimeout(Math.max(RECORD_S, 32) * 1000);
        await page6.getByRole('button', { name: 'Parar a gravação' }).click();
        await page6.getByRole('button', { name: 'Enviar para avaliação' }).click();
        await page6.waitForURL(/\/interviews\//, { timeout: 240000 });
        await page6.locator('.transcript .w').first().waitFor({ timeout: 30000 });
        const head = page6.locator('.report-language');
        const code = await head.getAttribute('data-language');
        const text = (await head.innerText()).trim();
        assert(code?.toLowerCase() === 'pt-br', `the report is in ${code}`);
        assert(/portugu[eê]s/i.test(text), `the report header says "${text}"`);
        const id = new URL(page6.url()).pathname.split('/').pop();
        const iv = await page6.evaluate((p) => fetch(p).then((r) => r.json()), `/v1/interviews/${id}`);
        assert(iv.language === 'pt-BR' && iv.report?.language === 'pt-BR', `asked ${iv.language}, report in ${iv.report?.language}`);
        // every tip of a Portuguese report is a text of data/pt-BR/report.json
        const tips = await page6.locator('.tip-message').allInnerTexts();
        assert(tips.length > 0, 'no tips');
        const portuguese = new Set(Object.values(JSON.parse(readFileSync(new URL('../../data/pt-BR/report.json', import.meta.url), 'utf8'))));
        assert(tips.every((t) => portuguese.has(t.trim())), `a tip not in Portuguese: "${tips.find((t) => !portuguese.has(t.trim()))}"`);
        assert(await page6.locator('.tip-message[lang=pt-BR]').count() === tips.length, 'the tips are not marked lang=pt-BR');
        const said = (await page6.locator('.transcript').innerText()).toLowerCase();
        const heard = said.split(/[^\p{L}]+/u).filter(Boolean);
        const fillers = ['né', 'tipo', 'então'].filter((w) => heard.includes(w));
        // the multilingual model heard the Portuguese answer (espeak-ng's voice through the browser's
        // recorder: measured 56 of 81 words from the text), and text-metrics found its fillers
        const ref = new Set(readFileSync(join(MEDIA, 'speech-pt.txt'), 'utf8').toLowerCase().split(/[^\p{L}]+/u));
        const known = heard.filter((w) => ref.has(w)).length;
        assert(heard.length >= 30 && known >= heard.length / 2, `${known} of ${heard.length} words heard are the answer's: "${said}"`);
        assert((iv.report?.delivery?.filler_count ?? 0) >= 1, `no filler found in "${said}"`);
        await shot(page6, 'report-pt-BR');
        return `"${text}"; ${tips.length} tips in Portuguese; ${heard.length} words heard, ${known} of them in the answer's text`
          + `; fillers heard: ${fillers.join(', ') || 'none'}; interview ${id}`;
      });
      if (reported) await axe(page6, 'report page in Portuguese');
      await ctx6.close();
    } finally {
      await browser3.close();
    }
  }

  // 12. a person deletes their own account
  const ctx5 = await newContext(browser, 'delete-account');
  const page5 = await ctx5.newPage();
  await check('account: a person deletes their own account, and it is gone', async () => {
    await signIn(page5, user2.email, user2.password);
    await page5.getByRole('link', { name: 'Account', exact: true }).click();
    const button = page5.getByRole('button', { name: 'Delete my account' });
    await button.waitFor({ timeout: 10000 });
    assert(await button.isDisabled(), 'deletable before the phrase was typed');
    await page5.fill('#delete-confirm', 'delete my account');
    await shot(page5, 'delete-account');
    await button.click();
    await page5.waitForURL(/\/signin\?deleted=1/, { timeout: 20000 });
    await page5.getByText('Your account and all your recordings were deleted.').waitFor({ timeout: 5000 });
    const again = await fetch(`${BASE}/v1/sessions`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: user2.email, password: user2.password }),
    });
    assert(again.status === 401, `signing in again answered ${again.status}`);
  });
  await axe(page5, 'sign-in page after deleting the account');
  await ctx5.close();

  await check('no Content-Security-Policy violation in any page', async () => {
    assert(cspViolations.length === 0, [...new Set(cspViolations)].slice(0, 5).join(' | '));
  });
  await check('no uncaught script error in any page', async () => {
    assert(pageErrors.length === 0, pageErrors.slice(0, 5).join(' | '));
  });

  await check('page weight of the first page (JS+CSS gzipped) is at most 200 KB', async () => {
    const html = await (await fetch(`${BASE}/`)).text();
    const refs = [...new Set([...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]))];
    let gz = 0;
    for (const r of refs) gz += gzipSync(Buffer.from(await (await fetch(BASE + r)).arrayBuffer()), { level: 9 }).length;
    console.log(`${stamp()} PAGE WEIGHT first page: ${(gz / 1024).toFixed(1)} KB gzipped (${refs.length} files)`);
    assert(gz <= 200 * 1024, `${(gz / 1024).toFixed(1)} KB`);
    return `${(gz / 1024).toFixed(1)} KB`;
  });
} catch (e) {
  record('run completed', false, e?.message ?? String(e));
} finally {
  await browser.close().catch(() => {});
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log(`screenshots: ${SHOTS}`);
  console.log(`${passed} passed, ${failed} failed`);
  exitCode = failed === 0 && passed > 0 ? 0 : 1;
}
process.exit(exitCode);
