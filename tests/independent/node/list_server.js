#!/usr/bin/env node
// Independent implementation of Fireworks ListDpoJobs
// (GET /v1/accounts/{account_id}/dpoJobs), written from spec/openapi.yaml and the
// Google AIPs only. Node standard library only. See README.md for the choices.
'use strict';

const http = require('http');
const crypto = require('crypto');
const zlib = require('zlib');
const {URL} = require('url');

// ---------------------------------------------------------------------------
// Enums, in declared order: the index is the enum number used for ordering.

const JOB_STATES = [
  'JOB_STATE_UNSPECIFIED',
  'JOB_STATE_CREATING',
  'JOB_STATE_RUNNING',
  'JOB_STATE_COMPLETED',
  'JOB_STATE_FAILED',
  'JOB_STATE_CANCELLED',
  'JOB_STATE_DELETING',
  'JOB_STATE_WRITING_RESULTS',
  'JOB_STATE_VALIDATING',
  'JOB_STATE_DELETING_CLEANING_UP',
  'JOB_STATE_PENDING',
  'JOB_STATE_EXPIRED',
  'JOB_STATE_RE_QUEUEING',
  'JOB_STATE_CREATING_INPUT_DATASET',
  'JOB_STATE_IDLE',
  'JOB_STATE_CANCELLING',
  'JOB_STATE_EARLY_STOPPED',
];
const CODES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'UNAUTHENTICATED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
];
const REGIONS = [
  'REGION_UNSPECIFIED', 'US_IOWA_1',       'US_VIRGINIA_1',   'US_ILLINOIS_1',   'AP_TOKYO_1',
  'US_ARIZONA_1',       'US_TEXAS_1',      'US_ILLINOIS_2',   'EU_FRANKFURT_1',  'US_TEXAS_2',
  'EU_ICELAND_1',       'EU_ICELAND_2',    'US_WASHINGTON_1', 'US_WASHINGTON_2', 'US_WASHINGTON_3',
  'AP_TOKYO_2',         'US_CALIFORNIA_1', 'US_UTAH_1',       'US_TEXAS_3',      'US_GEORGIA_1',
  'US_GEORGIA_2',       'US_WASHINGTON_4', 'US_GEORGIA_3',
];

// Scalar fields usable in filter and orderBy, with their type.
const FIELDS = {
  name: 'string',
  displayName: 'string',
  createTime: 'timestamp',
  completedTime: 'timestamp',
  dataset: 'string',
  state: JOB_STATES,
  'status.code': CODES,
  'status.message': 'string',
  createdBy: 'string',
  'trainingConfig.outputModel': 'string',
  'trainingConfig.baseModel': 'string',
  'trainingConfig.warmStartFrom': 'string',
  'trainingConfig.jinjaTemplate': 'string',
  'trainingConfig.learningRate': 'number',
  'trainingConfig.maxContextLength': 'number',
  'trainingConfig.loraRank': 'number',
  'trainingConfig.region': REGIONS,
  'trainingConfig.epochs': 'number',
  'trainingConfig.batchSize': 'number',
  'trainingConfig.gradientAccumulationSteps': 'number',
  'trainingConfig.learningRateWarmupSteps': 'number',
  'wandbConfig.enabled': 'bool',
  'wandbConfig.project': 'string',
  'wandbConfig.entity': 'string',
  'wandbConfig.runId': 'string',
  'wandbConfig.url': 'string',
};
// The secret is a schema field (so a readMask may name it) but is never returned,
// filterable or orderable: filtering on it would leak it one guess at a time.
const READ_MASK_PATHS = new Set([
  ...Object.keys(FIELDS),
  'status',
  'trainingConfig',
  'wandbConfig',
  'wandbConfig.apiKey',
]);

const ACCOUNTS = {
  acme: 'key-acme',
  other: 'key-other'
};
const DEFAULT_PAGE_SIZE = 50;

const FAULTS = {
  'token-drops-filter': 'pages after the first ignore the filter (the token keeps only the offset)',
  'unstable-ties': 'equal sort keys are shuffled on each request (no name tiebreak)',
  'lt-as-le': '< and > in filters behave as <= and >=',
  'desc-ignored': '\' desc\' in orderBy is ignored (always ascending)',
  'total-size-off-by-one': 'totalSize is one more than the number of matching jobs',
  'invalid-filter-200': 'a filter that does not parse returns 200 with an empty list',
  'token-any-account':
      'a page token issued for one account is accepted by the other account\'s listing',
  'last-page-token': 'the last page carries a nextPageToken that repeats the last page',
  'max-page-size-1000': 'pageSize is capped at 1000 instead of 200',
  'read-mask-ignored': 'readMask is ignored (all fields returned)',
  'apikey-in-clear': 'wandbConfig.apiKey is returned in clear',
  'default-order-create-time': 'without orderBy, jobs are ordered by createTime instead of name',
  'absent-ne-true': '\'!=\' on a field absent from a job matches that job (SQL-NULL style bug)',
};

class ApiError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}
const INVALID_ARGUMENT = 3, NOT_FOUND = 5, PERMISSION_DENIED = 7, UNIMPLEMENTED = 12,
      UNAUTHENTICATED = 16;
const HTTP_STATUS = {
  3: 400,
  5: 404,
  7: 403,
  12: 501,
  13: 500,
  16: 401
};
const bad = (msg) => new ApiError(INVALID_ARGUMENT, msg);
// A filter that does not parse, as opposed to one that parses but names a bad field or value.
const syntax = (msg) => Object.assign(bad(msg), {syntax: true});

// ---------------------------------------------------------------------------
// Deterministic data.

function prng(seedText) {
  let h = crypto.createHash('sha256').update(seedText).digest().readUInt32LE(0);
  return () => {
    // mulberry32
    h = (h + 0x6d2b79f5) >>> 0;
    let t = h;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generateJobs(account, n, seed) {
  const rnd = prng(`${seed}:${account}`);
  const pick = (arr) => arr[Math.floor(rnd() * arr.length)];
  const chance = (p) => rnd() < p;
  const weighted = (pairs) => {
    let r = rnd() * pairs.reduce((s, [, w]) => s + w, 0);
    for (const [v, w] of pairs)
      if ((r -= w) < 0) return v;
    return pairs[pairs.length - 1][0];
  };
  const alnum = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const ident = (len) => Array.from({length: len}, () => pick(alnum)).join('');

  const users =
      ['ana@acme.dev', 'bo@acme.dev', 'chen@example.com', 'dee@example.com', 'eli@corp.io'];
  const models = [
    'accounts/fireworks/models/llama-v3p1-8b-instruct',
    'accounts/fireworks/models/llama-v3p1-70b-instruct',
    'accounts/fireworks/models/qwen2p5-7b-instruct',
    'accounts/fireworks/models/mixtral-8x7b-instruct'
  ];
  const words =
      ['helpful', 'harmless', 'concise', 'summarizer', 'chat', 'coder', 'tutor', 'support'];
  const base = Date.UTC(2024, 0, 1);
  const span = 240 * 86400000;
  const ids = new Set();
  const jobs = [];
  for (let i = 0; i < n; i++) {
    let id;
    do id = `dpo-${ident(8)}`;
    while (ids.has(id));
    ids.add(id);
    // Roughly one job in eight shares its createTime with an earlier job, so ties happen.
    const created = i > 0 && chance(0.12) ?
        Date.parse(jobs[Math.floor(rnd() * jobs.length)].createTime) :
        base + Math.floor(rnd() * span);
    const state = weighted([
      ['JOB_STATE_COMPLETED', 35], ['JOB_STATE_RUNNING', 15], ['JOB_STATE_FAILED', 12],
      ['JOB_STATE_PENDING', 10], ['JOB_STATE_CANCELLED', 8], ['JOB_STATE_CREATING', 8],
      ['JOB_STATE_EARLY_STOPPED', 5], ['JOB_STATE_VALIDATING', 4], ['JOB_STATE_WRITING_RESULTS', 3]
    ]);
    const job = {name: `accounts/${account}/dpoJobs/${id}`};
    if (chance(0.75))
      job.displayName = `${pick(words)}-${pick(words)} v${1 + Math.floor(rnd() * 9)}`;
    job.createTime = new Date(created).toISOString();
    if ([
          'JOB_STATE_COMPLETED', 'JOB_STATE_FAILED', 'JOB_STATE_CANCELLED',
          'JOB_STATE_EARLY_STOPPED'
        ].includes(state)) {
      job.completedTime =
          new Date(created + 600000 + Math.floor(rnd() * 3 * 86400000)).toISOString();
    }
    job.dataset = `accounts/${account}/datasets/${pick(words)}-prefs-${1 + Math.floor(rnd() * 5)}`;
    job.state = state;
    if (state === 'JOB_STATE_FAILED') {
      job.status = {
        code: pick(['INTERNAL', 'INVALID_ARGUMENT', 'RESOURCE_EXHAUSTED']),
        message: pick([
          'dataset row 17 has no rejected response', 'out of GPU memory',
          'worker preempted too many times'
        ])
      };
    } else if (state === 'JOB_STATE_CANCELLED') {
      job.status = {code: 'CANCELLED'};
      if (chance(0.5)) job.status.message = 'cancelled by user';
    } else if (!(state === 'JOB_STATE_CREATING' && chance(0.5))) {
      job.status = {code: 'OK'};
      if (chance(0.3))
        job.status.message = state === 'JOB_STATE_COMPLETED' ? 'done' : 'in progress';
    }
    job.createdBy = pick(users);
    const tc = {};
    if (chance(0.5)) tc.outputModel = `accounts/${account}/models/${id}-out`;
    if (chance(0.85))
      tc.baseModel = pick(models);
    else
      tc.warmStartFrom = `accounts/${account}/models/${pick(words)}-lora-${ident(4)}`;
    if (chance(0.1)) tc.jinjaTemplate = '{% for m in messages %}{{ m.content }}{% endfor %}';
    tc.learningRate = pick([0.0001, 0.00005, 0.0002, 0.00001, 0.0003]);
    tc.maxContextLength = pick([2048, 4096, 8192, 16384]);
    tc.loraRank = pick([8, 16, 32, 64]);
    if (chance(0.8))
      tc.region =
          pick(['US_IOWA_1', 'US_VIRGINIA_1', 'EU_FRANKFURT_1', 'AP_TOKYO_1', 'US_TEXAS_2']);
    tc.epochs = 1 + Math.floor(rnd() * 5);
    if (chance(0.6)) tc.batchSize = pick([16384, 32768, 65536]);
    if (chance(0.4)) tc.gradientAccumulationSteps = pick([1, 2, 4, 8]);
    if (chance(0.4)) tc.learningRateWarmupSteps = pick([0, 10, 50, 100]);
    job.trainingConfig = tc;
    if (chance(0.6)) {
      const project = `dpo-${pick(words)}`;
      const entity = pick(['acme-ml', 'research', 'ana']);
      const wc = {enabled: chance(0.8), apiKey: `wandb-${ident(24)}`, project, entity};
      if (chance(0.7)) {
        wc.runId = ident(8);
        wc.url = `https://wandb.ai/${entity}/${project}/runs/${wc.runId}`;
      }
      job.wandbConfig = wc;
    }
    jobs.push(job);
  }
  return jobs;
}

// ---------------------------------------------------------------------------
// Field paths and values.

function getPath(obj, path) {
  let v = obj;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object' || !(part in v)) return undefined;
    v = v[part];
  }
  return v;
}

// AIP paths are written in snake_case in protos and camelCase in JSON; accept both.
const toCamel = (path) => path.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
const PATH_RE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

const RFC3339 =
    /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;
// Returns nanoseconds since the epoch as a BigInt, or null when not RFC 3339.
function parseTimestamp(s) {
  const m = RFC3339.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, sec, frac = '', off] = m;
  const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +sec);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== +y || check.getUTCMonth() !== +mo - 1 ||
      check.getUTCDate() !== +d || +h > 23 || +mi > 59 || +sec > 59)
    return null;
  let offsetMin = 0;
  if (off !== 'Z' && off !== 'z') {
    const oh = +off.slice(1, 3), om = +off.slice(4, 6);
    if (oh > 23 || om > 59) return null;
    offsetMin = (off[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const seconds = BigInt(ms / 1000 - offsetMin * 60);
  return seconds * 1000000000n + BigInt(frac.padEnd(9, '0') || '0');
}

// Comparable key of a present value; compare() orders two keys of the same type.
function keyOf(type, value) {
  if (Array.isArray(type)) return type.indexOf(value);
  if (type === 'timestamp') return parseTimestamp(value);
  if (type === 'bool') return value ? 1 : 0;
  if (type === 'string') return Buffer.from(value, 'utf8');
  return value;
}
function compare(a, b) {
  if (Buffer.isBuffer(a)) return Buffer.compare(a, b);
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------
// AIP-160 filter subset. Grammar (as in AIP-160, OR binds tighter than AND):
//   expression := sequence { AND sequence }
//   sequence   := factor { factor }            (implicit AND)
//   factor     := term { OR term }
//   term       := [ NOT | - ] simple
//   simple     := '(' expression ')' | field comparator value

function tokenize(src) {
  const tokens = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',' || c === ':') {
      tokens.push({t: c});
      i++;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '<=' || two === '>=' || two === '!=') {
      tokens.push({t: 'op', v: two});
      i += 2;
      continue;
    }
    if (c === '<' || c === '>' || c === '=') {
      tokens.push({t: 'op', v: c});
      i++;
      continue;
    }
    if (c === '!') throw syntax(`filter: unexpected '!' at offset ${i}`);
    if (c === '"' || c === '\'') {
      let j = i + 1, s = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) j++;
        s += src[j++];
      }
      if (j >= src.length) throw syntax(`filter: unterminated string at offset ${i}`);
      tokens.push({t: 'str', v: s});
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < src.length && !/[\s()"'<>=!:,]/.test(src[j])) j++;
    tokens.push({t: 'text', v: src.slice(i, j)});
    i = j;
  }
  return tokens;
}

function parseFilter(src, fault) {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = () => tokens[pos];
  const isKw = (tok, kw) => tok && tok.t === 'text' && tok.v === kw;

  function expression() {
    const parts = [sequence()];
    while (isKw(peek(), 'AND')) {
      pos++;
      parts.push(sequence());
    }
    return parts.length === 1 ? parts[0] : (job) => parts.every((p) => p(job));
  }
  function sequence() {
    const parts = [factor()];
    while (peek() && peek().t !== ')' && !isKw(peek(), 'AND')) parts.push(factor());
    return parts.length === 1 ? parts[0] : (job) => parts.every((p) => p(job));
  }
  function factor() {
    const parts = [term()];
    while (isKw(peek(), 'OR')) {
      pos++;
      parts.push(term());
    }
    return parts.length === 1 ? parts[0] : (job) => parts.some((p) => p(job));
  }
  function term() {
    const tok = peek();
    if (!tok) throw syntax('filter: unexpected end of expression');
    let negate = false;
    if (isKw(tok, 'NOT')) {
      negate = true;
      pos++;
    } else if (tok.t === 'text' && tok.v.startsWith('-')) {
      negate = true;
      if (tok.v === '-')
        pos++;
      else
        tokens[pos] = {t: 'text', v: tok.v.slice(1)};
    }
    const inner = simple();
    return negate ? (job) => !inner(job) : inner;
  }
  function simple() {
    const tok = peek();
    if (!tok) throw syntax('filter: unexpected end of expression');
    if (tok.t === '(') {
      pos++;
      const e = expression();
      if (!peek() || peek().t !== ')') throw syntax('filter: missing \')\'');
      pos++;
      return e;
    }
    if (tok.t !== 'text' || ['AND', 'OR', 'NOT'].includes(tok.v)) {
      throw syntax(`filter: unexpected ${tok.v || tok.t}`);
    }
    pos++;
    const next = peek();
    if (next && next.t === '(') throw bad('filter: function calls are unsupported');
    if (next && next.t === ':') throw bad('filter: the \':\' (has) operator is unsupported');
    if (!next || next.t !== 'op')
      throw bad(`filter: bare value '${tok.v}' (global search) is unsupported`);
    pos++;
    const arg = peek();
    if (!arg || (arg.t !== 'text' && arg.t !== 'str'))
      throw syntax(`filter: missing value after '${next.v}'`);
    pos++;
    return restriction(tok.v, next.v, arg);
  }
  function restriction(rawField, op, arg) {
    if (!PATH_RE.test(rawField)) throw syntax(`filter: '${rawField}' is not a field path`);
    const field = toCamel(rawField);
    const type = FIELDS[field];
    if (!type) throw bad(`filter: unknown field '${rawField}'`);
    const value = literal(field, type, arg);
    // AIP-160's own example leads with the star ("*.foo"): a star anywhere in a string `=`.
    const glob = op === '=' && type === 'string' && arg.v.includes('*') ?
        new RegExp('^' + arg.v.split('*').map(escapeRegExp).join('[\\s\\S]*') + '$', 'u') :
        null;
    const test = {
      '=': (c) => c === 0,
      '!=': (c) => c !== 0,
      '<': fault === 'lt-as-le' ? (c) => c <= 0 : (c) => c < 0,
      '<=': (c) => c <= 0,
      '>': fault === 'lt-as-le' ? (c) => c >= 0 : (c) => c > 0,
      '>=': (c) => c >= 0,
    }[op];
    return (job) => {
      const v = getPath(job, field);
      if (v === undefined) return fault === 'absent-ne-true' && op === '!=';
      const k = keyOf(type, v);
      if (glob) return glob.test(v);
      return test(compare(k, value));
    };
  }
  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  function literal(field, type, arg) {
    const v = arg.v;
    if (Array.isArray(type)) {
      if (!type.includes(v)) throw bad(`filter: '${v}' is not a value of ${field}`);
      return type.indexOf(v);
    }
    if (type === 'string') return Buffer.from(v, 'utf8');
    if (type === 'timestamp') {
      const ts = arg.t === 'str' ? parseTimestamp(v) : null;
      if (ts === null) throw bad(`filter: ${field} needs a quoted RFC 3339 timestamp`);
      return ts;
    }
    if (type === 'bool') {
      if (arg.t !== 'text' || (v !== 'true' && v !== 'false'))
        throw bad(`filter: ${field} needs true or false`);
      return v === 'true' ? 1 : 0;
    }
    if (arg.t !== 'text' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v)) {
      throw bad(`filter: ${field} needs a number`);
    }
    return Number(v);
  }

  const predicate = expression();
  if (pos < tokens.length) throw syntax(`filter: unexpected '${tokens[pos].v || tokens[pos].t}'`);
  return predicate;
}

// ---------------------------------------------------------------------------
// orderBy (AIP-132) and readMask (AIP-157 / AIP-161).

function parseOrderBy(src, fault) {
  if (src.trim() === '') {
    return fault === 'default-order-create-time' ?
        [{field: 'createTime', type: 'timestamp', desc: false}] :
        [];
  }
  return src.split(',').map((item) => {
    const m = /^\s*(\S+)(?:\s+(asc|desc))?\s*$/i.exec(item);
    if (!m || !PATH_RE.test(m[1])) throw bad(`orderBy: cannot parse '${item.trim()}'`);
    const field = toCamel(m[1]);
    if (!FIELDS[field]) throw bad(`orderBy: unknown field '${m[1]}'`);
    const desc = !!m[2] && m[2].toLowerCase() === 'desc' && fault !== 'desc-ignored';
    return {field, type: FIELDS[field], desc};
  });
}

function sortJobs(jobs, keys, fault) {
  // Absent values sort first ascending and last descending (SQL NULLS FIRST for ASC).
  const cmp = (a, b) => {
    for (const {field, type, desc} of keys) {
      const va = getPath(a, field), vb = getPath(b, field);
      let c;
      if (va === undefined || vb === undefined)
        c = (va === undefined ? 0 : 1) - (vb === undefined ? 0 : 1);
      else
        c = compare(keyOf(type, va), keyOf(type, vb));
      if (c !== 0) return desc ? -c : c;
    }
    return 0;
  };
  if (fault === 'unstable-ties') {
    const shuffled = jobs.slice();
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    return keys.length ? shuffled.sort(cmp) :
                         shuffled.sort((a, b) => compare(Buffer.from(a.name), Buffer.from(b.name)));
  }
  return jobs.slice().sort(
      (a, b) => cmp(a, b) || compare(Buffer.from(a.name), Buffer.from(b.name)));
}

function parseReadMask(src) {
  const paths = src.split(',').map((p) => p.trim());
  if (src.trim() === '' || paths.includes('*')) return null;
  return paths.map((p) => {
    if (!PATH_RE.test(p)) throw bad(`readMask: cannot parse path '${p}'`);
    const path = toCamel(p);
    if (!READ_MASK_PATHS.has(path)) throw bad(`readMask: unknown path '${p}'`);
    return path;
  });
}

// Keeps the resource's own field order; a selected nested path keeps its parent
// message (possibly empty) when that message is set on the job.
function applyMask(job, paths) {
  if (!paths) return job;
  const selected = new Set(['name', ...paths]);
  const out = {};
  for (const [k, v] of Object.entries(job)) {
    if (selected.has(k)) {
      out[k] = v;
      continue;
    }
    const subs =
        [...selected].filter((p) => p.startsWith(`${k}.`)).map((p) => p.slice(k.length + 1));
    if (subs.length === 0) continue;
    out[k] = {};
    for (const [sk, sv] of Object.entries(v))
      if (subs.includes(sk)) out[k][sk] = sv;
  }
  return out;
}

function publicView(job, fault) {
  if (!job.wandbConfig || fault === 'apikey-in-clear') return job;
  const {apiKey, ...wandbConfig} = job.wandbConfig;  // eslint-disable-line no-unused-vars
  return {...job, wandbConfig};
}

// ---------------------------------------------------------------------------
// Page tokens: base64url(JSON {o: offset, b: binding}), binding = hash(account, filter, orderBy).

function binding(account, filter, orderBy, fault) {
  const parts = fault === 'token-any-account' ? [filter, orderBy] : [account, filter, orderBy];
  return crypto.createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}
function encodeToken(offset, bind, fault) {
  const body = fault === 'token-drops-filter' ? {o: offset} : {o: offset, b: bind};
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}
function decodeToken(token, bind, fault) {
  let body;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new Error();
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw bad('pageToken: malformed page token');
  }
  if (!body || !Number.isSafeInteger(body.o) || body.o < 0)
    throw bad('pageToken: malformed page token');
  if (fault !== 'token-drops-filter' && body.b !== bind) {
    throw bad(
        'pageToken: the token does not match this request (account, filter and orderBy must not change)');
  }
  return body;
}

// ---------------------------------------------------------------------------
// The operation.

function listDpoJobs(store, account, query, fault) {
  const pageSizeRaw = query.get('pageSize');
  let pageSize = DEFAULT_PAGE_SIZE;
  if (pageSizeRaw !== null && pageSizeRaw !== '') {
    if (!/^[+-]?\d+$/.test(pageSizeRaw)) throw bad(`pageSize: '${pageSizeRaw}' is not an integer`);
    const n = Number(pageSizeRaw);
    if (n < 0) throw bad('pageSize: must not be negative');
    if (n > 0) pageSize = Math.min(n, fault === 'max-page-size-1000' ? 1000 : 200);
  }
  const filter = query.get('filter') || '';
  const orderBy = query.get('orderBy') || '';
  let predicate = () => true;
  if (filter.trim() !== '') {
    try {
      predicate = parseFilter(filter, fault);
    } catch (e) {
      if (fault === 'invalid-filter-200' && e.syntax) {
        return {dpoJobs: [], totalSize: 0};
      }
      throw e;
    }
  }
  const keys = parseOrderBy(orderBy, fault);
  const mask = fault === 'read-mask-ignored' ? null : parseReadMask(query.get('readMask') || '');
  const bind = binding(account, filter, orderBy, fault);

  let offset = 0;
  const token = query.get('pageToken');
  if (token) {
    offset = decodeToken(token, bind, fault).o;
    if (fault === 'token-drops-filter') predicate = () => true;
  }

  const matching = sortJobs(store[account].filter(predicate), keys, fault);
  const page = matching.slice(offset, offset + pageSize);
  const resp = {
    dpoJobs: page.map((j) => applyMask(publicView(j, fault), mask)),
    totalSize: matching.length + (fault === 'total-size-off-by-one' ? 1 : 0),
  };
  if (offset + pageSize < matching.length)
    resp.nextPageToken = encodeToken(offset + pageSize, bind, fault);
  else if (fault === 'last-page-token' && page.length > 0)
    resp.nextPageToken = encodeToken(offset, bind, fault);
  return resp;
}

function authenticate(req) {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization || '');
  if (!m)
    throw new ApiError(UNAUTHENTICATED, 'missing or malformed Authorization: Bearer <API_KEY>');
  const account = Object.keys(ACCOUNTS).find((a) => ACCOUNTS[a] === m[1]);
  if (!account) throw new ApiError(UNAUTHENTICATED, 'invalid API key');
  return account;
}

function acceptsGzip(header) {
  return (header || '').split(',').some((part) => {
    const [coding, ...params] = part.trim().split(';').map((s) => s.trim());
    if (coding.toLowerCase() !== 'gzip' && coding !== '*') return false;
    const q = params.find((p) => /^q=/i.test(p));
    return !q || Number(q.slice(2)) > 0;
  });
}

function send(req, res, status, body) {
  const headers = {'Content-Type': 'application/json; charset=utf-8', Vary: 'Accept-Encoding'};
  let data = Buffer.from(JSON.stringify(body), 'utf8');
  if (acceptsGzip(req.headers['accept-encoding'])) {
    data = zlib.gzipSync(data);
    headers['Content-Encoding'] = 'gzip';
  }
  // write() before end() so Node sends the body chunked instead of computing Content-Length.
  res.writeHead(status, headers);
  res.write(data);
  res.end();
}

function handle(store, fault, req, res) {
  try {
    const url = new URL(req.url, 'http://127.0.0.1');
    const m = /^\/v1\/accounts\/([^/]+)\/dpoJobs$/.exec(url.pathname);
    if (!m) throw new ApiError(NOT_FOUND, `no route for ${url.pathname}`);
    if (req.method !== 'GET') throw new ApiError(UNIMPLEMENTED, `method ${req.method} not allowed`);
    let account;
    try {
      account = decodeURIComponent(m[1]);
    } catch {
      throw new ApiError(NOT_FOUND, 'bad account id');
    }
    const caller = authenticate(req);
    // An unknown account answers like a foreign one, so existence does not leak.
    if (caller !== account)
      throw new ApiError(
          PERMISSION_DENIED, `the API key does not grant access to accounts/${account}`);
    send(req, res, 200, listDpoJobs(store, account, url.searchParams, fault));
  } catch (e) {
    if (!(e instanceof ApiError)) {
      console.error(e);
      e = new ApiError(13, 'internal error');
    }
    send(req, res, HTTP_STATUS[e.code] || 500, {code: e.code, message: e.message, details: []});
  }
}

function main(argv) {
  const opts = {port: 0, jobs: 120, seed: '1', fault: null};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--list-faults') {
      for (const [name, desc] of Object.entries(FAULTS)) process.stdout.write(`${name}: ${desc}\n`);
      return;
    }
    if (!['--port', '--jobs', '--seed', '--fault'].includes(a) || i + 1 >= argv.length) {
      process.stderr.write(
          'usage: node list_server.js [--port P] [--jobs N] [--seed S] [--fault NAME] [--list-faults]\n');
      process.exit(2);
    }
    opts[a.slice(2)] = argv[++i];
  }
  opts.port = Number(opts.port);
  opts.jobs = Number(opts.jobs);
  if (!Number.isInteger(opts.port) || !Number.isInteger(opts.jobs) || opts.jobs < 0) {
    process.stderr.write('--port and --jobs must be non-negative integers\n');
    process.exit(2);
  }
  if (opts.fault && !FAULTS[opts.fault]) {
    process.stderr.write(`unknown fault '${opts.fault}'; see --list-faults\n`);
    process.exit(2);
  }
  const store = {};
  for (const account of Object.keys(ACCOUNTS))
    store[account] = generateJobs(account, opts.jobs, opts.seed);

  const server = http.createServer((req, res) => handle(store, opts.fault, req, res));
  server.keepAliveTimeout = 5000;
  server.on('connection', (socket) => socket.setNoDelay(true));
  server.listen(opts.port, '127.0.0.1', () => {
    process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (require.main === module) main(process.argv.slice(2));

module.exports = {
  FAULTS,
  generateJobs,
  parseFilter,
  parseTimestamp
};
