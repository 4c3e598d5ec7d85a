// Lighthouse user flow on a phone: load the intake form, open the map, then judge the page as it stands.
// Usage: node flow.mjs URL COOKIE_NAME COOKIE_VALUE  (CHROME_PATH names the browser). Prints JSON scores.
import puppeteer from 'puppeteer-core';
import {startFlow} from 'lighthouse';

const [url, cookieName, cookieValue] = process.argv.slice(2);
const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  headless: 'new',
  args: ['--no-sandbox', '--headless=new'],
});
try {
  const page = await browser.newPage();
  await page.setCookie({name: cookieName, value: cookieValue, url});
  const flow = await startFlow(page, {name: 'Intake form on a phone'});
  await flow.navigate(url, {name: 'form loaded'});
  await flow.startTimespan({name: 'map opened'});
  await page.click('#map-btn');
  await page.waitForSelector('#map .leaflet-container, #map.leaflet-container', {timeout: 15000});
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await flow.endTimespan();
  await flow.snapshot({name: 'form with the map open'});
  const result = await flow.createFlowResult();
  const steps = result.steps.map((step) => ({
    name: step.name,
    mode: step.lhr.gatherMode,
    scores: Object.fromEntries(Object.entries(step.lhr.categories).map(([k, c]) => [k, c.score])),
    failing: Object.values(step.lhr.audits)
      .filter((a) => a.score !== null && a.score < 1 && ['binary', 'numeric'].includes(a.scoreDisplayMode)
        && step.lhr.categories.accessibility?.auditRefs.some((r) => r.id === a.id && r.weight > 0))
      .map((a) => a.id),
    metrics: step.lhr.gatherMode === 'navigation' ? {
      fcp_ms: step.lhr.audits['first-contentful-paint'].numericValue,
      lcp_ms: step.lhr.audits['largest-contentful-paint'].numericValue,
      tbt_ms: step.lhr.audits['total-blocking-time'].numericValue,
      cls: step.lhr.audits['cumulative-layout-shift'].numericValue,
      bytes: step.lhr.audits['total-byte-weight'].numericValue,
    } : step.lhr.gatherMode === 'timespan' ? {
      tbt_ms: step.lhr.audits['total-blocking-time']?.numericValue,
      cls: step.lhr.audits['cumulative-layout-shift']?.numericValue,
      inp_ms: step.lhr.audits['interaction-to-next-paint']?.numericValue,
      shifted: (step.lhr.audits['layout-shifts']?.details?.items || [])
        .map((i) => `${i.node?.selector || '?'} ${i.score?.toFixed(3)}`).join('; '),
      bytes: step.lhr.audits['total-byte-weight']?.numericValue,
    } : undefined,
  }));
  console.log(JSON.stringify(steps));
} finally {
  await browser.close();
}
