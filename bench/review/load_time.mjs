// Times the review page of a report in headless Chromium: overview shown, and a document
// in the middle of the run opened (its chunk loaded and its diff drawn).
//
//   node bench/review/load_time.mjs REPORT_DIR [RUNS]
//
// Uses playwright-core from tests/browser/node_modules and /usr/bin/chromium (or $CHROMIUM).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { chromium } = require(path.resolve('tests/browser/node_modules/playwright-core'));
const report = path.resolve(process.argv[2]);
const runs = Number(process.argv[3] || 5);
const url = pathToFileURL(path.join(report, 'index.html')).href;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const overview = [], doc = [];
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  let t = performance.now();
  await page.goto(url);
  await page.waitForSelector('#cards');
  // Until the page's work is done and painted, measured inside the page.
  const inPage = await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(performance.now()))));
  overview.push([performance.now() - t, inPage]);
  const reviewed = await page.evaluate(() => window.unscrapeReview.state().summary.reviewed);
  t = performance.now();
  await page.evaluate((n) => { location.hash = '#/doc/' + n; }, Math.floor(reviewed / 2));
  await page.waitForSelector('#diff');
  doc.push(performance.now() - t);
  await context.close();
}
await browser.close();
const med = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(JSON.stringify({
  report, runs,
  overview_ms_median: Math.round(med(overview.map((x) => x[0]))),
  overview_in_page_ms_median: Math.round(med(overview.map((x) => x[1]))),
  open_middle_document_ms_median: Math.round(med(doc)),
}));
