// Drives the review page in a real headless Chromium (Debian's /usr/bin/chromium).
//
//   node tests/browser/review.mjs [--screenshots DIR]
//
// Env: UNSCRAPE_BIN (default target/debug/unscrape), CHROMIUM (default /usr/bin/chromium).
// Cleans samples/input plus hostile documents, opens report/index.html from disk and checks:
// the overview matches summary.json, a known edit is highlighted in its document, hostile text
// renders as text and runs nothing, keyboard navigation works, and a rule and a learned line
// rejected on the page are honoured by the exported override in a second run (the rule is off,
// the line is kept, the site's other learned lines still go). Exits non-zero on any failure,
// including a missing Chromium: this test never skips.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = process.env.UNSCRAPE_BIN || path.join(root, 'target', 'debug', 'unscrape');
const browserPath = process.env.CHROMIUM || '/usr/bin/chromium';
const shotsArg = process.argv.indexOf('--screenshots');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'unscrape-review-'));
const shots = shotsArg > 0 ? path.resolve(process.argv[shotsArg + 1]) : tmp;

let failures = 0;
function check(ok, what, detail) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${!ok && detail !== undefined ? ': ' + JSON.stringify(detail) : ''}`);
  if (!ok) failures++;
}
for (const [what, p] of [['unscrape binary', bin], ['chromium', browserPath]]) {
  if (!fs.existsSync(p)) {
    console.error(`FAIL ${what} not found at ${p}`);
    process.exit(1);
  }
}

// Inputs: the seeds, plus documents whose text and file names are hostile markup. Each has
// chrome the cleaner removes so it has a diff, and the markup sits in lines that change.
const input = path.join(tmp, 'input');
fs.mkdirSync(input);
for (const name of fs.readdirSync(path.join(root, 'samples', 'input'))) {
  fs.copyFileSync(path.join(root, 'samples', 'input', name), path.join(input, name));
}
const PWN = "document.title='PWNED';window.__pwned=1";
const hostileName = `"><img src=x onerror="${PWN}">.txt`;
fs.writeFileSync(path.join(input, hostileName),
  'Breaking News\n' +
  `A story about <script>${PWN}</script> and "><img src=x onerror="${PWN}"> in a page.\n` +
  'It quotes </script><script>alert(1)</script> inside what a scraper saw as JSON: {"a":"</script><svg onload=alert(2)>"}.\n' +
  'The author wrote thecompany &amp; <b onmouseover=alert(3)>bold</b> claims.\n' +
  'Source link\n' +
  '<script>alert(4)</script>\n');
// A site whose pages repeat two chrome lines: learned as `learned.ledger.v1`.
const SITE_TOP = 'Ledger Gazette · city · harbour · sport';
const SITE_BOTTOM = 'Ledger print edition on sale at the quay';
fs.mkdirSync(path.join(input, 'ledger'));
// Words, not numbers, tell the pages apart: learned lines are compared with digits masked.
const WORDS = ['amber', 'birch', 'cedar', 'delta', 'ember', 'fjord'];
WORDS.forEach((w, i) => {
  fs.writeFileSync(path.join(input, 'ledger', `p${i}.txt`),
    `${SITE_TOP}\n\nThe harbour board met at ${w} hall to weigh the ${w} plan for the docks, officials said.\n\n` +
    `A second paragraph about the ${w} quay explains why the vote matters to the town.\n\n${SITE_BOTTOM}\n`);
});
const report = path.join(tmp, 'report');
const clean = (extra, out, rep) => execFileSync(bin, ['clean', input, '--quiet', '--out', out, '--report', rep, ...extra], { stdio: 'inherit' });
clean([], path.join(tmp, 'out'), report);
const summary = JSON.parse(fs.readFileSync(path.join(report, 'summary.json'), 'utf8'));
check(fs.existsSync(path.join(report, 'index.html')), 'index.html written');

const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'unscrape-chromium-'));
const context = await chromium.launchPersistentContext(userData, {
  executablePath: browserPath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
  viewport: { width: 1400, height: 900 },
});
const page = context.pages()[0] || await context.newPage();
const dialogs = [], errors = [], requests = [];
page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
page.on('pageerror', (e) => errors.push(String(e)));
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url()); });
await page.addInitScript(() => { window.alert = (m) => { window.__alerted = (window.__alerted || []).concat([String(m)]); }; });

// Overview.
const url = pathToFileURL(path.join(report, 'index.html')).href;
const t0 = Date.now();
await page.goto(url);
await page.waitForSelector('#cards');
const loadMs = Date.now() - t0;
console.log(`     overview shown ${loadMs} ms after navigation`);
await page.screenshot({ path: path.join(shots, 'review-overview.png'), fullPage: false });
const figure = async (name) => (await page.textContent(`[data-figure="${name}"] .v`)).trim();
const fmt = (n) => Number(n).toLocaleString('en-US');
check(await figure('documents') === fmt(summary.documents), 'documents equal summary.json', [await figure('documents'), summary.documents]);
check((await figure('changed')).startsWith(fmt(summary.documents_changed) + ' '), 'changed equal summary.json');
check(await figure('edits applied') === fmt(summary.edits.applied), 'edits applied equal summary.json');
check(await figure('suspects') === fmt(summary.edits.suspect), 'suspects equal summary.json');
check(await figure('errors') === fmt(summary.errors), 'errors equal summary.json');
// The rules table: one row per rule with the summary's counts.
const ruleRows = await page.$$eval('table.sortable tr[data-rule]', (trs) => trs.map((tr) => [tr.getAttribute('data-rule'), tr.children[2].textContent, tr.children[3].textContent]));
const expectedRules = Object.entries(summary.edits_by_rule).map(([id, c]) => [id, fmt(c.applied), fmt(c.suspect)]);
check(JSON.stringify(ruleRows.slice().sort()) === JSON.stringify(expectedRules.sort()), 'rules table equals summary.json edits_by_rule', { ruleRows, expectedRules });
const bars = await page.$$eval('svg a rect[data-label]', (r) => r.length);
check(bars >= Object.keys(summary.edits_by_stage).length, 'bar charts drawn', bars);
// Sorting: the rules table sorts by a column on click, largest first, then reversed.
const appliedColumn = () => page.$$eval('table.sortable tr[data-rule]', (trs) => trs.map((tr) => Number(tr.children[2].textContent.replace(/,/g, ''))));
await page.click('table.sortable:has(tr[data-rule]) th[data-key="applied"]');
const desc = await appliedColumn();
check(desc.every((v, i) => i === 0 || desc[i - 1] >= v) && desc[0] > desc[desc.length - 1], 'rules sort by applied, descending', desc);
await page.click('table.sortable:has(tr[data-rule]) th[data-key="applied"]');
const asc = await appliedColumn();
check(asc.every((v, i) => i === 0 || asc[i - 1] <= v), 'second click sorts ascending', asc);

// A histogram bar leads to its documents.
await page.click('svg a rect[data-bucket="0"]');
await page.waitForSelector('ol.doclist');
check((await page.$$('ol.doclist li')).length > 0, 'histogram bar lists documents');

// The document with the known glue edit: 'Muska' → 'Musk, a' is highlighted, coloured by stage.
await page.goto(url + '#/rule/glue.appositive.v1');
await page.waitForSelector('h1:has-text("glue.appositive.v1")');
await page.waitForSelector('ol.doclist li a');
await page.click('ol.doclist li a');
await page.waitForSelector('#diff');
const mark = await page.$('#diff .chg[data-rule="glue.appositive.v1"][data-side="-"]');
check(!!mark, 'known edit highlighted in the diff');
if (mark) {
  check((await mark.textContent()).includes('Muska'), 'highlight covers the changed word', await mark.textContent());
  const bg = await mark.evaluate((n) => getComputedStyle(n).backgroundColor);
  check(bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent', 'highlight is coloured', bg);
  check((await mark.getAttribute('title')).includes('glue.appositive.v1'), 'rule and reason on hover');
  await mark.click();
  check((await page.textContent('#detail')).includes('glue.appositive.v1'), 'rule shown on click');
}
check(await page.$('#edits tr.suspect') !== null || summary.edits.suspect === 0, 'suspects listed distinctly');
await page.keyboard.press('e');
check(await page.$('#diff .chg.current, #diff .suspect-mark.current') !== null, 'key e selects an edit');
await page.screenshot({ path: path.join(shots, 'review-document.png'), fullPage: false });
await page.keyboard.press('u');
check(await page.$('table.diff.unified') !== null, 'key u switches to the unified diff');
await page.keyboard.press('u');
// p then n: back to the same document (whichever end of the list it is at).
const here = await page.evaluate(() => location.hash);
const hereN = Number(here.split('/').pop());
const [first, second] = hereN > 0 ? ['p', 'n'] : ['n', 'p'];
await page.keyboard.press(first);
await page.waitForFunction((h) => location.hash !== h, here);
await page.waitForSelector('#doc-title');
const moved = Number((await page.evaluate(() => location.hash)).split('/').pop());
check(moved === hereN + (first === 'n' ? 1 : -1), `key ${first} opens the ${first === 'n' ? 'next' : 'previous'} document`, moved);
await page.keyboard.press(second);
await page.waitForFunction((h) => location.hash === h, here, { timeout: 5000 }).catch(() => {});
check(await page.evaluate(() => location.hash) === here, `key ${second} goes back`);

// The hostile document: its text is shown as text, nothing runs.
await page.goto(url + '#/docs/0');
await page.waitForFunction((name) => Array.from(document.querySelectorAll('ol.doclist a')).some((a) => a.textContent === name), hostileName);
const links = await page.$$('ol.doclist a');
for (const a of links) if ((await a.textContent()) === hostileName) { await a.click(); break; }
await page.waitForSelector('#diff');
const title = await page.textContent('#doc-title');
check(title === hostileName, 'hostile file name shown as text', title);
const diffText = await page.textContent('#diff');
check(diffText.includes('<script>' + PWN + '</script>') && diffText.includes('</script><script>alert(1)</script>'), 'hostile text rendered as text');
check(await page.$('#main img, #main script, #main svg[onload], #main b') === null, 'no element made from document text');
await page.waitForTimeout(300);
const pwned = await page.evaluate(() => [document.title, window.__pwned, window.__alerted]);
check(pwned[0] === 'unscrape review' && pwned[1] === undefined && pwned[2] === undefined && dialogs.length === 0, 'hostile document executes nothing', pwned);
await page.screenshot({ path: path.join(shots, 'review-hostile.png'), fullPage: false });

// Reject a rule and a learned line and export the override; a second run with it does not
// apply the rule, keeps the line and still removes the site's other learned line.
const rejectId = 'footer.source-link.v1';
check(rejectId in summary.edits_by_rule, `${rejectId} fired in the first run`);
await page.goto(url + '#/rules');
await page.check(`input[type=checkbox][data-rule="${rejectId}"]`);
const learnedId = 'learned.ledger.v1';
check(learnedId in summary.edits_by_rule && summary.edits_by_rule[learnedId].applied === 12, `${learnedId} removed two lines in each of six pages`, summary.edits_by_rule[learnedId]);
await page.goto(url + '#/rule/' + learnedId);
const lineBox = `input[type=checkbox][data-learned-rule="${learnedId}"][data-line="${SITE_BOTTOM}"]`;
await page.waitForSelector(lineBox);
const learnedRows = await page.$$eval(`tr:has(input[data-learned-rule="${learnedId}"])`, (trs) => trs.map((tr) => [tr.children[0].textContent, tr.children[1].textContent]));
check(JSON.stringify(learnedRows.slice().sort()) === JSON.stringify([[SITE_BOTTOM, '6'], [SITE_TOP, '6']].sort()), 'learned rule lists its lines with their document counts', learnedRows);
await page.check(lineBox);
check(await page.$eval(lineBox, (b) => b.closest('tr').classList.contains('rejected')), 'rejected line marked');
check((await page.textContent('#rejected-count')).trim() === '(2)', 'rejected rule and line counted', await page.textContent('#rejected-count'));
// Back to the rule (its lines file already loaded): the line is still ticked.
await page.goto(url + '#/overview');
await page.waitForSelector('#cards');
await page.goto(url + '#/rule/' + learnedId);
await page.waitForSelector(lineBox);
check(await page.isChecked(lineBox), 'rejected line still ticked when the rule is opened again');
await page.screenshot({ path: path.join(shots, 'review-learned.png'), fullPage: false });
await page.click('#nav-export');
await page.waitForSelector('textarea[data-file="review-boilerplate.toml"]');
const toml = await page.inputValue('textarea[data-file="review-boilerplate.toml"]');
const rulesDir = path.join(tmp, 'review-rules');
fs.mkdirSync(rulesDir);
fs.writeFileSync(path.join(rulesDir, 'review-boilerplate.toml'), toml);
const report2 = path.join(tmp, 'report2');
clean(['--rules', rulesDir], path.join(tmp, 'out2'), report2);
const summary2 = JSON.parse(fs.readFileSync(path.join(report2, 'summary.json'), 'utf8'));
check(!(rejectId in summary2.edits_by_rule), 'exported override switches the rejected rule off', Object.keys(summary2.edits_by_rule));
check(toml.includes(`id = "${learnedId}"`) && toml.includes(`keep = [\n  "${SITE_BOTTOM}",\n]`), 'rejected line exported as keep', toml);
const ledger = fs.readFileSync(path.join(tmp, 'out2', 'ledger', 'p3.txt'), 'utf8');
check(ledger.includes(SITE_BOTTOM) && !ledger.includes(SITE_TOP), 'exported override keeps the rejected line and removes the other', ledger);
check(summary2.edits_by_rule[learnedId] && summary2.edits_by_rule[learnedId].applied === 6, 'the learned rule still removes its other line', summary2.edits_by_rule[learnedId]);
// The rejection survives a reload (kept in the browser's storage for these rules).
await page.reload();
await page.waitForSelector('#main h1');
const kept = await page.$('textarea[data-file="review-boilerplate.toml"]');
check(!!kept && (await kept.inputValue()).includes(`id = "${rejectId}"`) && (await kept.inputValue()).includes(SITE_BOTTOM), 'rejections kept across reload');

check(errors.length === 0, 'no script errors or CSP violations', errors);
check(requests.length === 0, 'no network requests', requests);
await context.close();
fs.rmSync(userData, { recursive: true, force: true });
console.log(failures ? `${failures} check(s) failed; report in ${report}` : `all checks passed; screenshots in ${shots}`);
if (!failures && shots !== tmp) fs.rmSync(tmp, { recursive: true, force: true });
process.exit(failures ? 1 : 0);
