#!/usr/bin/env node
// Self-test of list_server.js over HTTP: the correct behaviours, then one probe per
// fault that passes on the correct server and fails on the server run with that fault.
'use strict';

const assert = require('node:assert/strict');
const http = require('node:http');
const zlib = require('node:zlib');
const path = require('node:path');
const {spawn, execFileSync} = require('node:child_process');

const SERVER = path.join(__dirname, 'list_server.js');
const JOBS = 250;  // above the 200 cap, so the cap is observable
const children = [];

function startServer(args = []) {
  return new Promise((resolve, reject) => {
    const proc = spawn(
        process.execPath, [SERVER, '--port', '0', '--jobs', String(JOBS), ...args],
        {stdio: ['ignore', 'pipe', 'inherit']});
    children.push(proc);
    let buf = '';
    proc.stdout.on('data', (d) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        const line = buf.slice(0, nl);
        const m = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line);
        if (m)
          resolve({base: m[1], line, proc});
        else
          reject(new Error(`unexpected first line: ${line}`));
      }
    });
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

function stopServer(proc) {
  return new Promise((resolve) => {
    if (proc.exitCode !== null) return resolve();
    proc.once('exit', resolve);
    proc.kill('SIGTERM');
  });
}

function request(base, pathAndQuery, {key = 'key-acme', headers = {}, method = 'GET'} = {}) {
  const hdrs = {...headers};
  if (key !== null) hdrs.Authorization = `Bearer ${key}`;
  return new Promise((resolve, reject) => {
    http.request(base + pathAndQuery, {method, headers: hdrs}, (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const raw = Buffer.concat(chunks);
            const text = res.headers['content-encoding'] === 'gzip' ?
                zlib.gunzipSync(raw).toString() :
                raw.toString();
            let body;
            try {
              body = JSON.parse(text);
            } catch {
              body = text;
            }
            resolve({status: res.statusCode, headers: res.headers, body});
          });
        }).on('error', reject).end();
  });
}

const qs = (params) => {
  const s =
      new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined)).toString();
  return s ? `?${s}` : '';
};
const list = (base, params = {}, opts = {}) =>
    request(base, `/v1/accounts/${opts.account || 'acme'}/dpoJobs${qs(params)}`, opts);

async function listOk(base, params, opts) {
  const r = await list(base, params, opts);
  assert.equal(r.status, 200, `expected 200, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

// Follows nextPageToken; fails on a loop rather than spinning forever.
async function walk(base, params = {}, opts = {}) {
  const items = [], pages = [];
  let token;
  for (let i = 0; i < 200; i++) {
    const body = await listOk(base, {...params, pageToken: token}, opts);
    pages.push(body);
    items.push(...body.dpoJobs);
    token = body.nextPageToken;
    if (token === undefined) return {items, pages};
    assert.notEqual(token, '', 'nextPageToken must be omitted, not empty');
  }
  assert.fail('walk did not terminate after 200 pages');
}

async function expectError(base, params, httpStatus, code, opts) {
  const r = await list(base, params, opts);
  assert.equal(
      r.status, httpStatus, `expected ${httpStatus}, got ${r.status}: ${JSON.stringify(r.body)}`);
  assert.deepEqual(Object.keys(r.body).sort(), ['code', 'details', 'message']);
  assert.equal(r.body.code, code);
  assert.equal(typeof r.body.message, 'string');
  assert.deepEqual(r.body.details, []);
  return r.body;
}

const get = (obj, p) =>
    p.split('.').reduce((v, k) => (v && typeof v === 'object' ? v[k] : undefined), obj);
const byteCmp = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));
const names = (items) => items.map((j) => j.name);
const isSortedByName = (items) =>
    items.every((j, i) => i === 0 || byteCmp(items[i - 1].name, j.name) < 0);
const STATES = [
  'JOB_STATE_UNSPECIFIED', 'JOB_STATE_CREATING', 'JOB_STATE_RUNNING', 'JOB_STATE_COMPLETED',
  'JOB_STATE_FAILED', 'JOB_STATE_CANCELLED', 'JOB_STATE_DELETING', 'JOB_STATE_WRITING_RESULTS',
  'JOB_STATE_VALIDATING', 'JOB_STATE_DELETING_CLEANING_UP', 'JOB_STATE_PENDING',
  'JOB_STATE_EXPIRED', 'JOB_STATE_RE_QUEUEING', 'JOB_STATE_CREATING_INPUT_DATASET',
  'JOB_STATE_IDLE', 'JOB_STATE_CANCELLING', 'JOB_STATE_EARLY_STOPPED'
];

// Checks that, for the ordering key fn (undefined = absent), the list is ordered with
// absent first ascending / last descending and ties by name ascending.
function assertOrdered(items, keyFn, desc, cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0)) {
  for (let i = 1; i < items.length; i++) {
    const a = keyFn(items[i - 1]), b = keyFn(items[i]);
    let c;
    if (a === undefined || b === undefined)
      c = (a === undefined ? 0 : 1) - (b === undefined ? 0 : 1);
    else
      c = cmp(a, b);
    if (desc) c = -c;
    assert.ok(
        c < 0 || (c === 0 && byteCmp(items[i - 1].name, items[i].name) < 0),
        `out of order at ${i}: ${JSON.stringify(a)} then ${JSON.stringify(b)} (${
            items[i - 1].name}, ${items[i].name})`);
  }
}

// ---------------------------------------------------------------------------

let passed = 0, failed = 0;
async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e.message.split('\n')[0]}`);
  }
}

// One probe per fault: each asserts a correct behaviour that the fault breaks.
const PROBES = {
  'token-drops-filter': async (base) => {
    const {items, pages} = await walk(base, {filter: 'state = JOB_STATE_COMPLETED', pageSize: 5});
    assert.ok(
        items.every((j) => j.state === 'JOB_STATE_COMPLETED'),
        'a later page has non-matching jobs');
    assert.equal(items.length, pages[0].totalSize);
  },
  'unstable-ties': async (base) => {
    const {items} = await walk(base, {orderBy: 'state', pageSize: 7});
    assert.equal(new Set(names(items)).size, JOBS, 'the walk repeated or skipped jobs');
    assertOrdered(items, (j) => STATES.indexOf(j.state), false);
  },
  'lt-as-le': async (base) => {
    const {items} = await walk(base, {filter: 'trainingConfig.epochs < 3', pageSize: 200});
    assert.ok(items.length > 0);
    assert.ok(items.every((j) => j.trainingConfig.epochs < 3), '< matched an equal value');
  },
  'desc-ignored': async (base) => {
    const {items} = await walk(base, {orderBy: 'createTime desc', pageSize: 200});
    assertOrdered(items, (j) => Date.parse(j.createTime), true);
  },
  'total-size-off-by-one': async (base) => {
    const {items, pages} =
        await walk(base, {filter: 'trainingConfig.loraRank >= 32', pageSize: 40});
    for (const p of pages) assert.equal(p.totalSize, items.length);
  },
  'invalid-filter-200': async (base) => {
    await expectError(base, {filter: 'state = ('}, 400, 3);
  },
  'token-any-account': async (base) => {
    const first = await listOk(base, {pageSize: 5});
    await expectError(
        base, {pageSize: 5, pageToken: first.nextPageToken}, 400, 3,
        {account: 'other', key: 'key-other'});
  },
  'last-page-token': async (base) => {
    const {items} = await walk(base, {pageSize: 60});
    assert.equal(items.length, JOBS);
    assert.equal(new Set(names(items)).size, JOBS);
  },
  'max-page-size-1000': async (base) => {
    const body = await listOk(base, {pageSize: 500});
    assert.equal(body.dpoJobs.length, 200);
  },
  'read-mask-ignored': async (base) => {
    const body = await listOk(base, {readMask: 'displayName', pageSize: 30});
    for (const j of body.dpoJobs) {
      assert.ok(
          Object.keys(j).every((k) => k === 'name' || k === 'displayName'),
          `extra fields ${Object.keys(j)}`);
    }
  },
  'apikey-in-clear': async (base) => {
    const {items} = await walk(base, {pageSize: 200});
    assert.ok(items.some((j) => j.wandbConfig));
    assert.ok(
        items.every((j) => !j.wandbConfig || !('apiKey' in j.wandbConfig)), 'apiKey returned');
  },
  'default-order-create-time': async (base) => {
    const {items} = await walk(base, {pageSize: 100});
    assert.ok(isSortedByName(items), 'default order is not by name');
  },
  'absent-ne-true': async (base) => {
    const all = (await walk(base, {pageSize: 200})).items;
    const {items} = await walk(base, {filter: 'displayName != "no such name"', pageSize: 200});
    assert.equal(items.length, all.filter((j) => j.displayName !== undefined).length);
  },
};

async function main() {
  const listed = execFileSync(process.execPath, [SERVER, '--list-faults'])
                     .toString()
                     .trim()
                     .split('\n')
                     .map((l) => l.split(':')[0]);

  const {base, line, proc} = await startServer(['--seed', '1']);
  await check('first stdout line is "listening on http://127.0.0.1:PORT"', () => {
    assert.match(line, /^listening on http:\/\/127\.0\.0\.1:\d+$/);
  });

  let all;
  await check('full walk returns every job once, in name order, constant totalSize', async () => {
    const {items, pages} = await walk(base, {pageSize: 7});
    assert.equal(items.length, JOBS);
    assert.equal(new Set(names(items)).size, JOBS);
    assert.ok(isSortedByName(items));
    assert.ok(pages.every((p) => p.totalSize === JOBS));
    assert.ok(!('nextPageToken' in pages[pages.length - 1]));
    all = items;
  });

  await check(
      'data has variety: absent optional fields, several states, createTime ties, months', () => {
        assert.ok(all.some((j) => !j.displayName) && all.some((j) => j.displayName));
        assert.ok(all.some((j) => !j.wandbConfig) && all.some((j) => j.wandbConfig));
        assert.ok(
            all.some((j) => j.status && !j.status.message) &&
            all.some((j) => j.status && j.status.message));
        assert.ok(all.some((j) => j.trainingConfig.batchSize === undefined));
        assert.ok(new Set(all.map((j) => j.state)).size >= 5);
        const times = all.map((j) => j.createTime);
        assert.ok(new Set(times).size < times.length, 'no createTime ties');
        const ms = times.map(Date.parse);
        assert.ok(Math.max(...ms) - Math.min(...ms) > 90 * 86400000);
        assert.ok(all.every(
            (j) => typeof j.dataset === 'string' && j.name.startsWith('accounts/acme/dpoJobs/')));
      });

  await check('timestamps have exactly 3 fraction digits and Z', () => {
    const re = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
    for (const j of all) {
      assert.match(j.createTime, re);
      if (j.completedTime) assert.match(j.completedTime, re);
    }
  });

  await check('wandbConfig.apiKey is never returned', () => PROBES['apikey-in-clear'](base));

  await check('same seed gives the same data, another seed different data', async () => {
    const again = await startServer(['--seed', '1']);
    const other = await startServer(['--seed', '2']);
    const a = await listOk(again.base, {pageSize: 200});
    const b = await listOk(other.base, {pageSize: 200});
    await stopServer(again.proc);
    await stopServer(other.proc);
    assert.deepEqual(a.dpoJobs, all.slice(0, 200));
    assert.notDeepEqual(names(b.dpoJobs), names(a.dpoJobs));
  });

  await check('other account has its own N jobs', async () => {
    const {items} = await walk(base, {pageSize: 200}, {account: 'other', key: 'key-other'});
    assert.equal(items.length, JOBS);
    assert.ok(items.every((j) => j.name.startsWith('accounts/other/dpoJobs/')));
  });

  // Page size.
  await check('default pageSize is 50 (absent and 0)', async () => {
    const a = await listOk(base, {});
    const z = await listOk(base, {pageSize: 0});
    assert.equal(a.dpoJobs.length, 50);
    assert.equal(z.dpoJobs.length, 50);
    assert.ok(a.nextPageToken);
  });
  await check('pageSize above 200 is coerced to 200', () => PROBES['max-page-size-1000'](base));
  await check('negative or non-integer pageSize -> 400 INVALID_ARGUMENT', async () => {
    await expectError(base, {pageSize: -1}, 400, 3);
    await expectError(base, {pageSize: 'ten'}, 400, 3);
    await expectError(base, {pageSize: '2.5'}, 400, 3);
  });
  await check('pageSize may change between pages', async () => {
    const p1 = await listOk(base, {pageSize: 10});
    const p2 = await listOk(base, {pageSize: 30, pageToken: p1.nextPageToken});
    assert.deepEqual(names([...p1.dpoJobs, ...p2.dpoJobs]), names(all.slice(0, 40)));
  });
  await check('empty page has dpoJobs: [], totalSize 0 and no nextPageToken', async () => {
    const body = await listOk(base, {filter: 'createdBy = "nobody@nowhere"'});
    assert.deepEqual(body, {dpoJobs: [], totalSize: 0});
  });
  await check('last page omits nextPageToken', () => PROBES['last-page-token'](base));
  await check(
      'totalSize counts matches across all pages', () => PROBES['total-size-off-by-one'](base));

  // Filtering.
  const filterCases = [
    ['state = JOB_STATE_COMPLETED', (j) => j.state === 'JOB_STATE_COMPLETED'],
    ['state = "JOB_STATE_FAILED"', (j) => j.state === 'JOB_STATE_FAILED'],
    ['state > JOB_STATE_COMPLETED', (j) => STATES.indexOf(j.state) > 3],
    ['trainingConfig.epochs < 3', (j) => j.trainingConfig.epochs < 3],
    ['trainingConfig.epochs <= 3', (j) => j.trainingConfig.epochs <= 3],
    [
      'trainingConfig.epochs > 3 AND state != JOB_STATE_RUNNING',
      (j) => j.trainingConfig.epochs > 3 && j.state !== 'JOB_STATE_RUNNING'
    ],
    ['NOT state = JOB_STATE_COMPLETED', (j) => j.state !== 'JOB_STATE_COMPLETED'],
    ['-state = JOB_STATE_COMPLETED', (j) => j.state !== 'JOB_STATE_COMPLETED'],
    [
      '(state = JOB_STATE_FAILED OR state = JOB_STATE_CANCELLED) AND trainingConfig.loraRank >= 32',
      (j) => ['JOB_STATE_FAILED', 'JOB_STATE_CANCELLED'].includes(j.state) &&
          j.trainingConfig.loraRank >= 32
    ],
    [
      'state = JOB_STATE_RUNNING OR trainingConfig.epochs = 5 AND trainingConfig.loraRank = 8',
      (j) => (j.state === 'JOB_STATE_RUNNING' || j.trainingConfig.epochs === 5) &&
          j.trainingConfig.loraRank === 8
    ],
    [
      'createTime > "2024-04-01T00:00:00Z"',
      (j) => Date.parse(j.createTime) > Date.parse('2024-04-01T00:00:00Z')
    ],
    [
      'createTime >= "2024-04-01T02:00:00+02:00"',
      (j) => Date.parse(j.createTime) >= Date.parse('2024-04-01T00:00:00Z')
    ],
    [
      `createTime = "${all[0].createTime.replace('Z', '000Z')}"`,
      (j) => j.createTime === all[0].createTime
    ],
    [
      'displayName = "chat*"',
      (j) => j.displayName !== undefined && j.displayName.startsWith('chat')
    ],
    ['createdBy = "*.dev"', (j) => j.createdBy !== undefined && j.createdBy.endsWith('.dev')],
    ['createdBy = "a*@*"', (j) => j.createdBy !== undefined && /^a.*@/.test(j.createdBy)],
    ['displayName != "chat*"', (j) => j.displayName !== undefined && j.displayName !== 'chat*'],
    ['displayName != "no such name"', (j) => j.displayName !== undefined],
    ['NOT displayName = "no such name"', () => true],
    [
      'status.message != "done"',
      (j) => j.status && j.status.message !== undefined && j.status.message !== 'done'
    ],
    ['wandbConfig.enabled = true', (j) => j.wandbConfig && j.wandbConfig.enabled === true],
    ['wandbConfig.enabled = false', (j) => j.wandbConfig && j.wandbConfig.enabled === false],
    ['trainingConfig.learningRate < 0.0001', (j) => j.trainingConfig.learningRate < 0.0001],
    ['trainingConfig.region = US_IOWA_1', (j) => j.trainingConfig.region === 'US_IOWA_1'],
    ['trainingConfig.batchSize >= 0', (j) => j.trainingConfig.batchSize !== undefined],
    ['createdBy = "ANA@acme.dev"', () => false],
    [
      'createdBy = "ana@acme.dev" state = JOB_STATE_COMPLETED',
      (j) => j.createdBy === 'ana@acme.dev' && j.state === 'JOB_STATE_COMPLETED'
    ],
    ['status.code = INTERNAL', (j) => j.status && j.status.code === 'INTERNAL'],
  ];
  for (const [filter, pred] of filterCases) {
    await check(`filter ${filter}`, async () => {
      const {items, pages} = await walk(base, {filter, pageSize: 40});
      const expected = all.filter(pred);
      assert.deepEqual(names(items), names(expected));
      assert.equal(pages[0].totalSize, expected.length);
    });
  }
  await check('filter applies on every page', () => PROBES['token-drops-filter'](base));
  await check('"<" does not match equal values', () => PROBES['lt-as-le'](base));
  await check('"!=" on an absent field does not match', () => PROBES['absent-ne-true'](base));

  const badFilters = [
    'state:JOB_STATE_COMPLETED', 'chat', 'nope = 1', 'state = (', '(state = JOB_STATE_RUNNING',
    'trainingConfig.epochs = "x"', 'trainingConfig.epochs = abc', 'state = JOB_STATE_BOGUS',
    'createTime > "yesterday"', 'wandbConfig.apiKey = "x"', 'trainingConfig = 1', 'state =', 'AND',
    'displayName = "unterminated'
  ];
  for (const filter of badFilters) {
    await check(`bad filter -> 400: ${filter}`, () => expectError(base, {filter}, 400, 3));
  }

  // Ordering.
  const tsKey = (f) => (j) => (get(j, f) === undefined ? undefined : Date.parse(get(j, f)));
  const orderCases = [
    ['createTime', tsKey('createTime'), false],
    ['createTime desc', tsKey('createTime'), true],
    ['createTime asc', tsKey('createTime'), false],
    ['  completedTime   desc ', tsKey('completedTime'), true],
    ['trainingConfig.batchSize', (j) => j.trainingConfig.batchSize, false],
    ['trainingConfig.batchSize desc', (j) => j.trainingConfig.batchSize, true],
    ['displayName', (j) => j.displayName, false],
    ['state', (j) => STATES.indexOf(j.state), false],
    ['state desc', (j) => STATES.indexOf(j.state), true],
    [
      'wandbConfig.enabled desc',
      (j) => (j.wandbConfig ? Number(j.wandbConfig.enabled) : undefined), true
    ],
  ];
  for (const [orderBy, keyFn, desc] of orderCases) {
    await check(`orderBy "${orderBy}"`, async () => {
      const {items} = await walk(base, {orderBy, pageSize: 9});
      assert.equal(new Set(names(items)).size, JOBS);
      const cmp = typeof keyFn(all[0]) === 'string' ? byteCmp : undefined;
      assertOrdered(items, keyFn, desc, cmp);
    });
  }
  await check('absent field sorts first ascending and last descending', async () => {
    const asc = (await walk(base, {orderBy: 'displayName', pageSize: 200})).items;
    const desc = (await walk(base, {orderBy: 'displayName desc', pageSize: 200})).items;
    assert.equal(asc[0].displayName, undefined);
    assert.notEqual(asc[asc.length - 1].displayName, undefined);
    assert.notEqual(desc[0].displayName, undefined);
    assert.equal(desc[desc.length - 1].displayName, undefined);
  });
  await check('orderBy with two keys: "state desc, trainingConfig.epochs"', async () => {
    const {items} = await walk(base, {orderBy: 'state desc, trainingConfig.epochs', pageSize: 200});
    const expected = all.slice().sort(
        (a, b) => (STATES.indexOf(b.state) - STATES.indexOf(a.state)) ||
            (a.trainingConfig.epochs - b.trainingConfig.epochs) || byteCmp(a.name, b.name));
    assert.deepEqual(names(items), names(expected));
  });
  await check('equal sort keys are broken by name', () => PROBES['unstable-ties'](base));
  await check('" desc" reverses the order', () => PROBES['desc-ignored'](base));
  await check('default order is by name', () => PROBES['default-order-create-time'](base));
  for (const orderBy
           of ['nope', 'createTime sideways', 'createTime,', 'trainingConfig',
               'wandbConfig.apiKey']) {
    await check(`bad orderBy -> 400: "${orderBy}"`, () => expectError(base, {orderBy}, 400, 3));
  }

  // Read mask.
  await check(
      'readMask keeps only the named fields (plus name)', () => PROBES['read-mask-ignored'](base));
  await check('readMask with nested paths', async () => {
    const body = await listOk(base, {readMask: 'trainingConfig.baseModel,state', pageSize: 200});
    body.dpoJobs.forEach((j, i) => {
      const src = all[i];
      const expected = {
        name: src.name,
        state: src.state,
        trainingConfig: src.trainingConfig.baseModel ? {baseModel: src.trainingConfig.baseModel} :
                                                       {}
      };
      assert.deepEqual(j, expected);
    });
  });
  await check('readMask "*" and a whole message', async () => {
    const star = await listOk(base, {readMask: '*', pageSize: 200});
    assert.deepEqual(star.dpoJobs, all.slice(0, 200));
    const msg = await listOk(base, {readMask: 'wandbConfig', pageSize: 200});
    msg.dpoJobs.forEach(
        (j, i) => assert.deepEqual(
            j,
            all[i].wandbConfig ? {name: all[i].name, wandbConfig: all[i].wandbConfig} :
                                 {name: all[i].name}));
  });
  await check('readMask may change between pages', async () => {
    const p1 = await listOk(base, {pageSize: 5, readMask: 'state'});
    const p2 =
        await listOk(base, {pageSize: 5, readMask: 'createTime', pageToken: p1.nextPageToken});
    assert.deepEqual(
        p2.dpoJobs, all.slice(5, 10).map((j) => ({name: j.name, createTime: j.createTime})));
  });
  for (const readMask of ['nope', 'trainingConfig.nope', 'state,', 'name.x']) {
    await check(`bad readMask -> 400: "${readMask}"`, () => expectError(base, {readMask}, 400, 3));
  }

  // Page tokens.
  await check('garbled page token -> 400', async () => {
    await expectError(base, {pageToken: 'not a token!'}, 400, 3);
    await expectError(base, {pageToken: 'bm9wZQ'}, 400, 3);
    await expectError(base, {pageToken: Buffer.from('{"o":-3}').toString('base64url')}, 400, 3);
  });
  await check('page token bound to filter and orderBy', async () => {
    const p1 = await listOk(
        base, {pageSize: 5, filter: 'trainingConfig.epochs > 1', orderBy: 'createTime'});
    const t = p1.nextPageToken;
    await expectError(
        base,
        {pageSize: 5, filter: 'trainingConfig.epochs > 2', orderBy: 'createTime', pageToken: t},
        400, 3);
    await expectError(base, {pageSize: 5, orderBy: 'createTime', pageToken: t}, 400, 3);
    await expectError(
        base, {pageSize: 5, filter: 'trainingConfig.epochs > 1', pageToken: t}, 400, 3);
    await listOk(
        base,
        {pageSize: 5, filter: 'trainingConfig.epochs > 1', orderBy: 'createTime', pageToken: t});
  });
  await check('page token bound to the account', () => PROBES['token-any-account'](base));

  // Auth and errors.
  await check(
      'no credentials -> 401 UNAUTHENTICATED', () => expectError(base, {}, 401, 16, {key: null}));
  await check(
      'invalid key -> 401 UNAUTHENTICATED',
      () => expectError(base, {}, 401, 16, {key: 'key-nope'}));
  await check(
      'other account key -> 403 PERMISSION_DENIED',
      () => expectError(base, {}, 403, 7, {key: 'key-other'}));
  await check(
      'unknown account -> 403 PERMISSION_DENIED',
      () => expectError(base, {}, 403, 7, {account: 'ghost'}));
  await check(
      'auth is checked before arguments',
      () => expectError(base, {pageSize: -1}, 401, 16, {key: null}));
  await check('unparsable filter -> 400', () => PROBES['invalid-filter-200'](base));

  // HTTP.
  await check(
      'gzip when accepted: Content-Encoding gzip, Vary, chunked, no Content-Length', async () => {
        const r = await list(base, {pageSize: 3}, {headers: {'Accept-Encoding': 'gzip, deflate'}});
        assert.equal(r.status, 200);
        assert.equal(r.headers['content-encoding'], 'gzip');
        assert.match(r.headers.vary, /Accept-Encoding/i);
        assert.equal(r.headers['transfer-encoding'], 'chunked');
        assert.equal(r.headers['content-length'], undefined);
        assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
        assert.equal(r.body.dpoJobs.length, 3);
      });
  await check('identity when gzip not accepted (also gzip;q=0), still chunked', async () => {
    for (const headers of [{}, {'Accept-Encoding': 'gzip;q=0, identity'}]) {
      const r = await list(base, {pageSize: 3}, {headers});
      assert.equal(r.headers['content-encoding'], undefined);
      assert.equal(r.headers['transfer-encoding'], 'chunked');
      assert.equal(r.body.dpoJobs.length, 3);
    }
  });
  await check('errors are gzipped too', async () => {
    const r = await list(base, {}, {key: null, headers: {'Accept-Encoding': 'gzip'}});
    assert.equal(r.status, 401);
    assert.equal(r.headers['content-encoding'], 'gzip');
    assert.equal(r.body.code, 16);
  });
  await check('keep-alive timeout is 5 s', async () => {
    const r = await list(base, {pageSize: 1});
    assert.equal(r.headers['keep-alive'], 'timeout=5');
  });
  await check('unknown path -> 404 NOT_FOUND', async () => {
    const r = await request(base, '/v1/accounts/acme/sftJobs');
    assert.equal(r.status, 404);
    assert.equal(r.body.code, 5);
  });

  await check('a method other than GET -> 501 UNIMPLEMENTED', async () => {
    const r = await request(base, '/v1/accounts/acme/dpoJobs', {method: 'POST'});
    assert.equal(r.status, 501);
    assert.deepEqual(r.body, {code: 12, message: 'method POST not allowed', details: []});
  });

  // Faults.
  await check('--list-faults lists exactly the probed faults', () => {
    assert.deepEqual(listed.slice().sort(), Object.keys(PROBES).sort());
  });
  for (const [fault, probe] of Object.entries(PROBES)) {
    await check(`fault ${fault}: probe passes on the correct server`, () => probe(base));
    await check(`fault ${fault}: probe fails on the faulty server`, async () => {
      const srv = await startServer(['--seed', '1', '--fault', fault]);
      try {
        await assert.rejects(
            probe(srv.base), assert.AssertionError, 'the fault was not observable');
      } finally {
        await stopServer(srv.proc);
      }
    });
  }

  await stopServer(proc);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

main()
    .catch((e) => {
      console.error(e);
      process.exitCode = 1;
    })
    .finally(() => {
      for (const c of children)
        if (c.exitCode === null) c.kill('SIGTERM');
      // keep-alive sockets of the global agent would hold the process open
      http.globalAgent.destroy();
    });
