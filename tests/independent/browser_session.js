// Records a browser session against a ListDpoJobs server into a HAR written by Playwright
// (Chromium), as a user of a web app would export one. Not run by the tests: its output is
// the fixture tests/data/traffic/chromium_playwright.har. Needs Debian's chromium and npm's
// playwright-core:
//   apt-get install -y chromium && npm install playwright-core
//   python3 tests/independent/list_server.py --port 0 --jobs 20 --seed 3 &   # prints its URL
//   node tests/independent/browser_session.js http://127.0.0.1:PORT OUT.har
const {chromium} = require('playwright-core');

const [base, out] = process.argv.slice(2);
if (!base || !out) {
  console.error('usage: node browser_session.js BASE_URL OUT.har');
  process.exit(2);
}

(async () => {
  const browser =
      await chromium.launch({executablePath: '/usr/bin/chromium', args: ['--no-sandbox']});
  const context = await browser.newContext({recordHar: {path: out, content: 'embed'}});
  const page = await context.newPage();
  // A navigation without credentials: the document is the 401 error.
  await page.goto(`${base}/v1/accounts/acme/dpoJobs?pageSize=5`);
  // Then what a web app does: fetch() with a bearer key, walking pages by token.
  const walked = await page.evaluate(async (base) => {
    const auth = {Authorization: 'Bearer key-acme'};
    const get = async (path) => {
      const response = await fetch(base + path, {headers: auth});
      return {status: response.status, body: await response.json()};
    };
    const walk = async (query) => {
      let token = '';
      let pages = 0;
      do {
        const page = await get(
            '/v1/accounts/acme/dpoJobs?' + query +
            (token ? '&pageToken=' + encodeURIComponent(token) : ''));
        token = page.body.nextPageToken || '';
        pages += 1;
      } while (token && pages < 20);
      return pages;
    };
    const counts = [];
    counts.push(await walk('pageSize=7'));
    counts.push(
        await walk('pageSize=4&filter=' + encodeURIComponent('state = "JOB_STATE_COMPLETED"')));
    counts.push(await walk('pageSize=6&orderBy=' + encodeURIComponent('createTime desc, name')));
    counts.push(await walk('pageSize=10&readMask=' + encodeURIComponent('name,state,createTime')));
    // Refusals the contract names: a filter that does not parse, a token not issued, a
    // negative page size, another account with this key.
    await get('/v1/accounts/acme/dpoJobs?filter=' + encodeURIComponent('state = '));
    await get('/v1/accounts/acme/dpoJobs?pageToken=not-a-token');
    await get('/v1/accounts/acme/dpoJobs?pageSize=-1');
    await get('/v1/accounts/other/dpoJobs?pageSize=5');
    return counts;
  }, base);
  console.log('pages walked:', walked.join(' '));
  await context.close();  // writes the HAR
  await browser.close();
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
