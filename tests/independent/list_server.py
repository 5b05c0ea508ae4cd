#!/usr/bin/env python3
"""Independent, clean-room server for Fireworks ListDpoJobs.

    GET /v1/accounts/{account_id}/dpoJobs?pageSize=&pageToken=&filter=&orderBy=&readMask=

Standard library only. Written from the operation's OpenAPI document, the Fireworks doc page and
AIPs 132/157/158/160/161/193/211. Usage:

    python3 list_server.py --port 0 --jobs 120 --seed 1
    python3 list_server.py --list-faults
    python3 list_server.py --port 0 --fault or-as-and      # deliberately broken, for testing testers

Accounts: `acme` (API key `key-acme`) and `other` (API key `key-other`), N jobs each, generated
deterministically from the seed. Every place where the AIPs leave room is marked "CHOICE:".
"""
import argparse
import base64
import calendar
import collections
import datetime
import functools
import hashlib
import hmac
import json
import random
import re
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# ----------------------------------------------------------------------------- faults
# `--fault NAME` makes the server break the contract in one realistic way. Every such change is
# guarded by `FAULT == "NAME"` and marked "FAULT:"; with no --fault, behaviour is unchanged.
FAULTS = {
    "offset-off-by-one": "Each next page starts one item too late, so one resource is lost at every page boundary.",
    "duplicate-at-boundary": "Each next page starts one item too early, so the last item of a page is repeated.",
    "desc-ignored-second-key": "In a multi-key orderBy, ' desc' is ignored on every key but the first.",
    "not-ignored": "The filter's NOT / '-' is ignored and the bare term is used instead.",
    "or-as-and": "OR in a filter is evaluated as AND.",
    "total-size-unfiltered": "totalSize counts the whole collection even when a filter is given.",
    "total-size-page": "totalSize is the number of items on the current page.",
    "token-unbound": "The page token is not bound to filter/orderBy/readMask and continues by offset under any of them.",
    "page-size-over-max": "A pageSize above 200 is honoured up to 500 instead of being coerced to 200.",
    "negative-page-size-ok": "A negative pageSize is treated as the default (50) instead of being a 400.",
    "read-mask-ignored": "readMask is validated but ignored, so every field is returned.",
    "timestamp-text-order": "Timestamps are ordered, and compared in filters, as plain strings instead of instants.",
    "apikey-leak": "wandbConfig.apiKey (a secret) is returned in clear for jobs that have a wandbConfig.",
    "last-page-token": "The last page still carries a nextPageToken, which leads to an empty page.",
    "unknown-order-500": "An orderBy on an unknown field fails with 500 INTERNAL instead of 400 INVALID_ARGUMENT.",
    "other-account-leak": "A valid API key of another (existing) account can list this account: 200 instead of 403.",
}
FAULT = None                               # set from --fault in main()

# ----------------------------------------------------------------------------- schema
JOB_STATES = (
    "JOB_STATE_UNSPECIFIED JOB_STATE_CREATING JOB_STATE_RUNNING JOB_STATE_COMPLETED JOB_STATE_FAILED "
    "JOB_STATE_CANCELLED JOB_STATE_DELETING JOB_STATE_WRITING_RESULTS JOB_STATE_VALIDATING "
    "JOB_STATE_DELETING_CLEANING_UP JOB_STATE_PENDING JOB_STATE_EXPIRED JOB_STATE_RE_QUEUEING "
    "JOB_STATE_CREATING_INPUT_DATASET JOB_STATE_IDLE JOB_STATE_CANCELLING JOB_STATE_EARLY_STOPPED").split()
REGIONS = (
    "REGION_UNSPECIFIED US_IOWA_1 US_VIRGINIA_1 US_ILLINOIS_1 AP_TOKYO_1 US_ARIZONA_1 US_TEXAS_1 "
    "US_ILLINOIS_2 EU_FRANKFURT_1 US_TEXAS_2 EU_ICELAND_1 EU_ICELAND_2 US_WASHINGTON_1 US_WASHINGTON_2 "
    "US_WASHINGTON_3 AP_TOKYO_2 US_CALIFORNIA_1 US_UTAH_1 US_TEXAS_3 US_GEORGIA_1 US_GEORGIA_2 "
    "US_WASHINGTON_4 US_GEORGIA_3").split()
CODES = (
    "OK CANCELLED UNKNOWN INVALID_ARGUMENT DEADLINE_EXCEEDED NOT_FOUND ALREADY_EXISTS PERMISSION_DENIED "
    "UNAUTHENTICATED RESOURCE_EXHAUSTED FAILED_PRECONDITION ABORTED OUT_OF_RANGE UNIMPLEMENTED INTERNAL "
    "UNAVAILABLE DATA_LOSS").split()

S, I, F, B, T = "string", "int", "float", "bool", "timestamp"
def enum(values): return ("enum", tuple(values))

# Field types of gatewayDpoJob; nested dicts are messages. Key order = output order.
SCHEMA = {
    "name": S, "displayName": S, "createTime": T, "completedTime": T, "dataset": S,
    "state": enum(JOB_STATES), "status": {"code": enum(CODES), "message": S}, "createdBy": S,
    "trainingConfig": {
        "outputModel": S, "baseModel": S, "warmStartFrom": S, "jinjaTemplate": S, "learningRate": F,
        "maxContextLength": I, "loraRank": I, "region": enum(REGIONS), "epochs": I, "batchSize": I,
        "gradientAccumulationSteps": I, "learningRateWarmupSteps": I},
    "wandbConfig": {"enabled": B, "apiKey": S, "project": S, "entity": S, "runId": S, "url": S},
}
# CHOICE: the wandb API key is a secret. It is kept apart from the resource (never serialized) and
# filter/orderBy on it are refused with 400 (as if unknown), so it cannot leak through an oracle;
# in a readMask it is silently ignored like any other path that yields nothing.
SECRET_PATHS = {("wandbConfig", "apiKey")}
MISSING = object()
INT32_MAX = 2**31 - 1


class ApiError(Exception):
    def __init__(self, http, status, message, field=None, reason=None):
        super().__init__(message)
        self.http, self.status, self.message, self.field, self.reason = http, status, message, field, reason


def bad(message, field, reason="INVALID_ARGUMENT"):
    return ApiError(400, "INVALID_ARGUMENT", message, field, reason)


def camel(seg):
    # CHOICE: snake_case names (AIP-160 says filters use field names in snake case) are accepted as
    # aliases of the camelCase JSON names, in filter, orderBy and readMask alike.
    if "_" not in seg:
        return seg
    head, *rest = seg.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def resolve(text, param):
    """Field path text -> (tuple of camelCase segments, type). Unknown/secret -> 400."""
    typ, path = SCHEMA, []
    for seg in text.split("."):
        seg = camel(seg)
        if not isinstance(typ, dict) or seg not in typ:
            raise bad(f"{param}: unknown field '{text}'", param)
        typ = typ[seg]
        path.append(seg)
    if tuple(path) in SECRET_PATHS:
        raise bad(f"{param}: field '{text}' cannot be used in {param}", param)
    return tuple(path), typ


def get(res, path):
    for seg in path:
        if not isinstance(res, dict) or seg not in res:
            return MISSING
        res = res[seg]
    return res


# ----------------------------------------------------------------------------- timestamps
TS_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})")


def parse_ts(text):
    """RFC 3339 -> integer nanoseconds since epoch, or None. CHOICE: leap second 60 and more than
    nine fractional digits are refused; offsets are honoured; date-only values are refused."""
    m = TS_RE.fullmatch(text)
    if not m:
        return None
    y, mo, d, h, mi, s = (int(g) for g in m.groups()[:6])
    try:
        datetime.date(y, mo, d)
    except ValueError:
        return None
    if h > 23 or mi > 59 or s > 59:
        return None
    secs = calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0))
    off = m.group(8)
    if off not in ("Z", "z"):
        oh, om = int(off[1:3]), int(off[4:6])
        if oh > 23 or om > 59:
            return None
        secs -= (1 if off[0] == "+" else -1) * (oh * 3600 + om * 60)
    return secs * 10**9 + int((m.group(7) or "").ljust(9, "0"))


def fmt_ts(ns):
    # proto3 JSON style: 0, 3, 6 or 9 fractional digits, always UTC 'Z'.
    secs, nanos = divmod(ns, 10**9)
    base = datetime.datetime.fromtimestamp(secs, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    if nanos == 0:
        return base + "Z"
    frac = f"{nanos:09d}"
    while frac.endswith("000"):
        frac = frac[:-3]
    return f"{base}.{frac}Z"


# ----------------------------------------------------------------------------- filter (AIP-160)
# Grammar (EBNF of AIP-160): expression = sequence {AND sequence}; sequence = factor {factor};
# factor = term {OR term}; term = [NOT|-] simple; simple = restriction | "(" expression ")".
# So OR binds tighter than AND, and juxtaposition is AND. AND/OR/NOT are case-sensitive keywords.
MAX_FILTER_LEN = 8192
MAX_DEPTH = 64
WORD_STOP = set("()<>=!:,\"'")


Tok = collections.namedtuple("Tok", "kind val start end")


def lex(s):
    toks, i, n = [], 0, len(s)
    while i < n:
        c = s[i]
        if c.isspace():
            i += 1
        elif c in "(),":
            toks.append(Tok(c, c, i, i + 1)); i += 1
        elif s[i:i + 2] in ("<=", ">=", "!="):
            toks.append(Tok("OP", s[i:i + 2], i, i + 2)); i += 2
        elif c in "<>=:":
            toks.append(Tok("OP", c, i, i + 1)); i += 1
        elif c == "!":
            raise bad(f"filter: unexpected '!' at offset {i}", "filter")
        elif c in "\"'":
            j, out = i + 1, []
            while True:
                if j >= n:
                    raise bad(f"filter: unterminated string starting at offset {i}", "filter")
                if s[j] == "\\" and j + 1 < n:
                    # CHOICE: backslash escapes the next char; \n and \t are control chars.
                    out.append({"n": "\n", "t": "\t"}.get(s[j + 1], s[j + 1])); j += 2
                elif s[j] == c:
                    break
                else:
                    out.append(s[j]); j += 1
            toks.append(Tok("STR", "".join(out), i, j + 1)); i = j + 1
        else:
            j = i
            while j < n and not s[j].isspace() and s[j] not in WORD_STOP:
                j += 1
            toks.append(Tok("WORD", s[i:j], i, j)); i = j
    toks.append(Tok("EOF", "", n, n))
    return toks


def is_kw(tok, *words):
    return tok.kind == "WORD" and tok.val in words


class Parser:
    """Builds an AST: ("and",[..]) ("or",[..]) ("not",x) ("global",kind,text) ("restr",lhs,op,arg)
    where arg is ("lit",kind,text) or a composite AST whose leaves are globals."""

    def __init__(self, text):
        self.toks, self.pos, self.depth = lex(text), 0, 0

    def peek(self):
        return self.toks[self.pos]

    def next(self):
        t = self.toks[self.pos]; self.pos += 1
        return t

    def fail(self, what):
        t = self.peek()
        where = "end of filter" if t.kind == "EOF" else f"'{t.val}' at offset {t.start}"
        return bad(f"filter: syntax error: {what}, found {where}", "filter")

    def parse(self):
        if self.peek().kind == "EOF":
            return None
        e = self.expression()
        if self.peek().kind != "EOF":
            raise self.fail("expected end of filter")
        return e

    def expression(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise bad("filter: nested too deeply", "filter")
        parts = [self.sequence()]
        while is_kw(self.peek(), "AND"):
            self.next(); parts.append(self.sequence())
        self.depth -= 1
        return flat("and", parts)

    def sequence(self):
        parts = [self.factor()]
        while self.peek().kind not in ("EOF", ")") and not is_kw(self.peek(), "AND"):
            parts.append(self.factor())
        return flat("and", parts)

    def factor(self):
        parts = [self.term()]
        while is_kw(self.peek(), "OR"):
            self.next(); parts.append(self.term())
        return flat("or", parts)

    def term(self):
        t = self.peek()
        if is_kw(t, "NOT"):
            self.next()
        elif t.kind == "WORD" and t.val.startswith("-"):
            # CHOICE: '-' directly before a term negates it ("-a", "-(a OR b)", "-state=X"); a lone
            # "-" followed by whitespace is accepted as well. "-30" alone is NOT "30" per the EBNF.
            if t.val == "-":
                self.next()
            else:
                self.toks[self.pos] = Tok("WORD", t.val[1:], t.start + 1, t.end)
        else:
            return self.simple()
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise bad("filter: nested too deeply", "filter")
        inner = self.term()
        self.depth -= 1
        return ("not", inner)

    def simple(self):
        if self.peek().kind == "(":
            self.next()
            e = self.expression()
            if self.next().kind != ")":
                self.pos -= 1
                raise self.fail("expected ')'")
            return e
        return self.restriction()

    def restriction(self):
        t = self.peek()
        if t.kind not in ("WORD", "STR") or is_kw(t, "AND", "OR", "NOT"):
            raise self.fail("expected a field, a value or '('")
        self.next()
        if t.kind == "WORD" and self.peek().kind == "(" and self.peek().start == t.end:
            raise bad(f"filter: function '{t.val}()' is not supported", "filter")
        if self.peek().kind != "OP":
            return ("global", t.kind, t.val)
        op = self.next().val
        a = self.peek()
        if a.kind == "(":
            return ("restr", t.val, op, self.simple())
        if a.kind not in ("WORD", "STR") or is_kw(a, "AND", "OR", "NOT"):
            raise self.fail(f"expected a value after '{op}'")
        self.next()
        if a.kind == "WORD" and self.peek().kind == "(" and self.peek().start == a.end:
            raise bad(f"filter: function '{a.val}()' is not supported", "filter")
        return ("restr", t.val, op, ("lit", a.kind, a.val))


def flat(kind, parts):
    if len(parts) == 1:
        return parts[0]
    out = []
    for p in parts:
        out.extend(p[1] if p[0] == kind else [p])
    return (kind, out)


def all_strings(res):
    for v in res.values():
        if isinstance(v, dict):
            yield from all_strings(v)
        elif isinstance(v, str):
            yield v


def compile_node(node, rhs=None):
    """AST -> (canonical JSON-able form, predicate(resource) -> bool). With rhs=(path, typ, op) the
    node is a parenthesised right-hand side: each literal leaf becomes `path op literal`.
    CHOICE: so `state = (A OR B)` means `state = A OR state = B`; a comparison inside is a 400."""
    kind = node[0]
    if kind in ("and", "or"):
        items = [compile_node(n, rhs) for n in node[1]]
        preds, agg = [p for _, p in items], all if kind == "and" else any
        if FAULT == "or-as-and":            # FAULT: OR evaluated with all() like AND
            agg = all
        return [kind, [c for c, _ in items]], lambda r: agg(p(r) for p in preds)
    if kind == "not":
        c, p = compile_node(node[1], rhs)
        if FAULT == "not-ignored":          # FAULT: the negation is dropped, the bare term is used
            return c, p
        return ["not", c], lambda r: not p(r)
    if kind == "global" and rhs:
        return make_cmp(*rhs, node[2])
    if kind == "global":
        # CHOICE: a bare literal (no comparator) matches when it occurs, case-insensitively, as a
        # substring of any string value of the job (enums and timestamps included, as text).
        needle = node[2].casefold()
        return ["g", node[2]], lambda r: any(needle in v.casefold() for v in all_strings(r))
    if rhs:
        raise bad("filter: only literals may appear in a parenthesised right-hand side", "filter")
    _, lhs, op, arg = node
    path, typ = resolve(lhs, "filter")
    if arg[0] == "lit":
        return make_cmp(path, typ, op, arg[2])
    return compile_node(arg, (path, typ, op))


CMP = {"=": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
       "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}
NUM_RE = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


ALL_OPS, EQ_OPS = ("=", "!=", "<", "<=", ">", ">=", ":"), ("=", "!=", ":")


def make_cmp(path, typ, op, text):
    """One restriction `path op text`, type-checked now (so errors do not depend on the data)."""
    dotted, canon = ".".join(path), ["c", ".".join(path), op]
    if isinstance(typ, dict):
        # `:` on a message: `m:*` = message present, `m:sub` = subfield `sub` present.
        if op != ":":
            raise bad(f"filter: '{dotted}' is a message; only ':' applies to it", "filter")
        sub = path if text == "*" else resolve(dotted + "." + text, "filter")[0]
        return canon + [".".join(sub)], lambda r: get(r, sub) is not MISSING
    if op == ":" and text == "*":
        # CHOICE: `f:*` = field present in the JSON (proto3: present means non-default).
        return canon + ["*"], lambda r: get(r, path) is not MISSING
    # CHOICE: a missing field satisfies only '!=' (SQL-NULL-like, except that != is true).
    neg = op == "!="
    if typ == S and (op == ":" or op in ("=", "!=") and "*" in text):
        # CHOICE: '=' / '!=' with '*' are case-sensitive whole-value globs ('*' anywhere, any
        # number of times). ':' on a string is a case-insensitive substring match ('*' allowed).
        rx = re.compile(".*".join(map(re.escape, text.split("*"))), re.S | (re.I if op == ":" else 0))
        hit = rx.search if op == ":" else rx.fullmatch
        return canon + ["glob", text], lambda r: neg if (v := get(r, path)) is MISSING else (hit(v) is None) == neg
    conv, ops = (lambda v: v), ALL_OPS
    if typ == S:
        val = text                      # lexical comparison by code point, case-sensitive
    elif isinstance(typ, tuple):
        # Enums: by name, case-sensitive; unknown names are a type error. CHOICE: ordering
        # comparisons on enums and booleans are refused (AIP-160: "should not" be provided).
        if text not in typ[1]:
            raise bad(f"filter: '{text}' is not a value of the enum of '{dotted}'", "filter")
        val, ops = text, EQ_OPS
    elif typ == B:
        if text not in ("true", "false"):   # CHOICE: only lower-case true/false.
            raise bad(f"filter: '{dotted}' is a boolean; expected true or false", "filter")
        val, ops = text == "true", EQ_OPS
    elif typ == I:
        # CHOICE: integer fields take integer literals only ("3.0" or "2.5" -> 400).
        if not re.fullmatch(r"[+-]?\d+", text):
            raise bad(f"filter: '{dotted}' is an integer; '{text}' is not", "filter")
        val = int(text)
    elif typ == F:
        if not NUM_RE.fullmatch(text):
            raise bad(f"filter: '{dotted}' is a number; '{text}' is not", "filter")
        val = float(text)
    else:  # timestamp: compared as instants; offsets honoured
        val, conv = parse_ts(text), parse_ts
        if val is None:
            raise bad(f"filter: '{dotted}' is a timestamp; '{text}' is not RFC 3339", "filter")
        if FAULT == "timestamp-text-order":  # FAULT: validated as RFC 3339, then compared as text
            val, conv = text, (lambda v: v)
    if op not in ops:
        raise bad(f"filter: operator '{op}' is not supported on '{dotted}'", "filter")
    fn = CMP["=" if op == ":" else op]     # ':' on a scalar (other than a string) is '='
    return canon + [val], lambda r: neg if (v := get(r, path)) is MISSING else fn(conv(v), val)


def compile_filter(text):
    if len(text) > MAX_FILTER_LEN:
        raise bad(f"filter: longer than {MAX_FILTER_LEN} characters", "filter")
    ast = Parser(text).parse()
    if ast is None:
        return None, lambda r: True
    return compile_node(ast)


# ----------------------------------------------------------------------------- orderBy (AIP-132)
def parse_order_by(text):
    keys, seen = [], set()
    if text.strip():
        for item in text.split(","):
            parts = item.split()
            if not parts or len(parts) > 2:
                raise bad(f"orderBy: malformed item '{item.strip()}'", "orderBy")
            # CHOICE: 'asc'/'desc' are accepted in any letter case; a repeated field is an error.
            if len(parts) == 2 and parts[1].lower() not in ("asc", "desc"):
                raise bad(f"orderBy: expected 'asc' or 'desc' after '{parts[0]}'", "orderBy")
            if FAULT == "unknown-order-500":
                # FAULT: the field is looked up by plain indexing before validation, so an unknown
                # field raises KeyError/TypeError, which do_GET turns into 500 INTERNAL.
                node = SCHEMA
                for seg in parts[0].split("."):
                    node = node[camel(seg)]
            path, typ = resolve(parts[0], "orderBy")
            if isinstance(typ, dict):
                raise bad(f"orderBy: '{parts[0]}' is a message, not a sortable field", "orderBy")
            if path in seen:
                raise bad(f"orderBy: '{parts[0]}' appears more than once", "orderBy")
            seen.add(path)
            desc = len(parts) == 2 and parts[1].lower() == "desc"
            if FAULT == "desc-ignored-second-key" and keys:   # FAULT: direction kept on key 1 only
                desc = False
            keys.append((path, typ, desc))
    # Ties are broken by name ascending so every order is total (and the default is name asc).
    if ("name",) not in seen:
        keys.append((("name",), S, False))
    return keys


def sort_value(typ, v):
    if v is MISSING:
        return v
    if typ == T:
        if FAULT == "timestamp-text-order":
            return v                # FAULT: the RFC 3339 text itself is the sort key
        return parse_ts(v)          # timestamps order as instants, not as strings
    if isinstance(typ, tuple):
        return typ[1].index(v)      # CHOICE: enums order by declaration number, not by name
    return v                        # strings: code point order, case-sensitive; false < true


def make_comparator(keys):
    def cmp(a, b):
        for path, typ, desc in keys:
            va, vb = sort_value(typ, get(a, path)), sort_value(typ, get(b, path))
            if va is MISSING and vb is MISSING or va is not MISSING and vb is not MISSING and va == vb:
                continue
            # CHOICE: a missing value sorts after every present value (last ascending, first
            # descending), like SQL NULLs in PostgreSQL.
            c = 1 if va is MISSING else -1 if vb is MISSING else (-1 if va < vb else 1)
            return -c if desc else c
        return 0
    return functools.cmp_to_key(cmp)


# ----------------------------------------------------------------------------- readMask (AIP-157)
def parse_read_mask(text):
    """-> None (all fields) or sorted list of known paths. CHOICE: unknown paths (and the wandb
    apiKey) are silently ignored as AIP-161 permits for reads; empty items are skipped; '*'
    anywhere means all fields; a parent path subsumes its subpaths."""
    items = [p.strip() for p in text.split(",") if p.strip()]
    if not items or "*" in items:
        return None
    paths = set()
    for item in items:
        try:
            path, _ = resolve(item, "readMask")
        except ApiError:
            continue
        paths.add(path)
    return sorted(p for p in paths if not any(p[:k] in paths for k in range(1, len(p))))


def apply_mask(res, mask):
    if mask is None:
        return res
    out = {}
    for path in mask:
        v = get(res, path)
        if v is MISSING:
            continue   # CHOICE: no empty parent objects are created for missing subfields
        node = out
        for seg in path[:-1]:
            node = node.setdefault(seg, {})
        node[path[-1]] = v
    return reorder(out, SCHEMA)


def reorder(obj, schema):
    return {k: reorder(obj[k], schema[k]) if isinstance(obj[k], dict) else obj[k]
            for k in schema if k in obj}


# ----------------------------------------------------------------------------- page tokens
class TokenBox:
    """Opaque, tamper-proof tokens: base64url(version | iv | ciphertext | tag), no padding.
    The payload (JSON) is encrypted with an HMAC-SHA256 keystream (synthetic IV, so tokens are
    deterministic) and authenticated with HMAC-SHA256 (encrypt-then-MAC, 16-byte tag).
    CHOICE: keys derive from --seed, so a restarted server with the same seed accepts old tokens."""

    def __init__(self, seed):
        root = hashlib.sha256(f"dpo-list-token-root:{seed}".encode()).digest()
        self.enc = hmac.new(root, b"enc", hashlib.sha256).digest()
        self.mac = hmac.new(root, b"mac", hashlib.sha256).digest()

    def _stream(self, iv, n):
        out, ctr = b"", 0
        while len(out) < n:
            out += hmac.new(self.enc, iv + ctr.to_bytes(4, "big"), hashlib.sha256).digest(); ctr += 1
        return out[:n]

    def seal(self, payload):
        pt = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
        iv = hmac.new(self.mac, b"iv" + pt, hashlib.sha256).digest()[:12]
        ct = bytes(a ^ b for a, b in zip(pt, self._stream(iv, len(pt))))
        tag = hmac.new(self.mac, b"\x01" + iv + ct, hashlib.sha256).digest()[:16]
        return base64.urlsafe_b64encode(b"\x01" + iv + ct + tag).decode().rstrip("=")

    def open(self, token):
        err = bad("pageToken: invalid or corrupted page token", "pageToken", "INVALID_PAGE_TOKEN")
        # CHOICE: only the unpadded URL-safe alphabet is accepted ('=' padding, '+', '/' -> 400).
        if not re.fullmatch(r"[A-Za-z0-9_-]{40,2048}", token) or len(token) % 4 == 1:
            raise err
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        # Non-canonical encodings (unused low bits of the last char set) are refused: one token
        # has exactly one spelling, so a changed character is always detected.
        if base64.urlsafe_b64encode(raw).decode().rstrip("=") != token or len(raw) < 1 + 12 + 2 + 16 or raw[0] != 1:
            raise err
        iv, ct, tag = raw[1:13], raw[13:-16], raw[-16:]
        if not hmac.compare_digest(tag, hmac.new(self.mac, b"\x01" + iv + ct, hashlib.sha256).digest()[:16]):
            raise err
        try:
            payload = json.loads(bytes(a ^ b for a, b in zip(ct, self._stream(iv, len(ct)))))
        except ValueError:
            raise err
        if not isinstance(payload, dict) or not isinstance(payload.get("o"), int):
            raise err
        return payload


# ----------------------------------------------------------------------------- data
STATE_WEIGHTS = {
    "JOB_STATE_COMPLETED": 34, "JOB_STATE_RUNNING": 12, "JOB_STATE_FAILED": 10, "JOB_STATE_CANCELLED": 8,
    "JOB_STATE_PENDING": 8, "JOB_STATE_CREATING": 5, "JOB_STATE_VALIDATING": 4, "JOB_STATE_EARLY_STOPPED": 4,
    "JOB_STATE_WRITING_RESULTS": 3, "JOB_STATE_EXPIRED": 3, "JOB_STATE_DELETING": 2, "JOB_STATE_IDLE": 2,
    "JOB_STATE_CANCELLING": 1, "JOB_STATE_RE_QUEUEING": 1, "JOB_STATE_CREATING_INPUT_DATASET": 1,
    "JOB_STATE_DELETING_CLEANING_UP": 1}
TERMINAL = {"JOB_STATE_COMPLETED", "JOB_STATE_FAILED", "JOB_STATE_CANCELLED", "JOB_STATE_EXPIRED",
            "JOB_STATE_EARLY_STOPPED"}
DISPLAY_NAMES = ["Baseline run", "baseline run", "llama3 dpo ultrafeedback", "helpfulness-dpo",
                 "Évaluation préférences", "safety tuning v2", "safety tuning v10", "qwen2.5 pref sweep",
                 "Customer support DPO", "code-review prefs", "ABC", "abc", "math reasoning dpo",
                 "zeta", "Zeta", "dpo #7 (lr sweep)", "長文 DPO"]
BASE_MODELS = ["accounts/fireworks/models/llama-v3p1-8b-instruct", "accounts/fireworks/models/llama-v3p1-70b-instruct",
               "accounts/fireworks/models/qwen2p5-7b-instruct", "accounts/fireworks/models/mixtral-8x7b-instruct",
               "accounts/fireworks/models/gemma2-9b-it", "accounts/fireworks/models/llama-v3p2-3b-instruct"]
FAILURES = [("INTERNAL", "Training worker crashed; see logs."),
            ("INVALID_ARGUMENT", "Dataset rows must contain 'chosen' and 'rejected' fields."),
            ("RESOURCE_EXHAUSTED", "GPU quota exceeded in region."),
            ("FAILED_PRECONDITION", "Dataset is not in READY state."),
            ("DEADLINE_EXCEEDED", "Job exceeded the maximum run time.")]
STATUS_BY_STATE = {"JOB_STATE_CANCELLED": ("CANCELLED", "Cancelled by user."),
                   "JOB_STATE_CANCELLING": ("CANCELLED", "Cancelled by user."),
                   "JOB_STATE_EXPIRED": ("DEADLINE_EXCEEDED", "Job expired before it could be scheduled."),
                   "JOB_STATE_COMPLETED": ("OK", "Job completed successfully.")}
TEMPLATE = "{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] }}\n{% endfor %}<|assistant|>\n"


def gen_jobs(acct, n, seed):
    rng = random.Random(f"{seed}/{acct}")
    alnum = "abcdefghijklmnopqrstuvwxyz0123456789"
    users = [f"{u}@{acct}.ai" for u in ("maria.lopez", "kenji", "a.okafor", "dev-bot", "li.wei", "sam")]
    datasets = [f"accounts/{acct}/datasets/{d}" for d in ("ultrafeedback-binarized", "hh-rlhf-pairs",
                "support-prefs-2024-06", "code-review-prefs", "safety-pairs-v3", "math-dpo-mix")]
    states, weights = zip(*STATE_WEIGHTS.items())
    t0 = calendar.timegm((2024, 1, 1, 0, 0, 0, 0, 0, 0)) * 10**9
    jobs, secrets, ids, prev_ct = [], {}, set(), None
    while len(jobs) < n:
        if rng.random() < 0.15:
            jid = f"{rng.choice(['dpo-run', 'pref', 'safety-dpo'])}-{rng.randint(1, 300)}"
        else:
            jid = "".join(rng.choice(alnum) for _ in range(rng.randint(8, 12)))
        if jid in ids or not jid[0].isalpha():
            continue
        ids.add(jid)
        name = f"accounts/{acct}/dpoJobs/{jid}"
        if prev_ct is not None and rng.random() < 0.08:
            ct = prev_ct                                      # equal createTimes: ordering ties
        else:
            ct = t0 + rng.randrange(0, 540 * 86400) * 10**9 + rng.choice([0, 0, rng.randrange(1000) * 10**6,
                                                                          rng.randrange(10**6) * 1000, rng.randrange(10**9)])
        prev_ct = ct
        state = rng.choices(states, weights)[0]
        job = {"name": name}
        if rng.random() > 0.06:
            job["displayName"] = rng.choice(DISPLAY_NAMES)
        job["createTime"] = fmt_ts(ct)
        if state in TERMINAL:
            job["completedTime"] = fmt_ts(ct + rng.randrange(600, 3 * 86400) * 10**9 + rng.choice([0, rng.randrange(10**9)]))
        job["dataset"] = rng.choice(datasets)
        job["state"] = state
        code, msg = rng.choice(FAILURES) if state == "JOB_STATE_FAILED" else STATUS_BY_STATE.get(state, ("OK", ""))
        if state == "JOB_STATE_RUNNING":
            msg = f"Training step {rng.randint(1, 900)}/{rng.choice([1000, 2000])}"
        elif state == "JOB_STATE_COMPLETED" and rng.random() < 0.5:
            msg = ""
        job["status"] = {"code": code, **({"message": msg} if msg else {})}
        job["createdBy"] = rng.choice(users)
        tc = {}
        if rng.random() < 0.75:
            tc["outputModel"] = f"accounts/{acct}/models/{jid}-ft"
        if rng.random() < 0.85:
            tc["baseModel"] = rng.choice(BASE_MODELS)
        else:
            tc["warmStartFrom"] = f"accounts/{acct}/models/lora-{rng.choice(['sft-v1', 'sft-v2', 'chat-base'])}"
        if rng.random() < 0.2:
            tc["jinjaTemplate"] = TEMPLATE
        tc["learningRate"] = rng.choice([5e-6, 1e-5, 2e-5, 5e-5, 0.0001, 0.0002, 0.0003])
        tc["maxContextLength"] = rng.choice([4096, 8192, 16384, 32768, 131072])
        tc["loraRank"] = rng.choice([8, 16, 32, 64])
        if rng.random() < 0.9:
            tc["region"] = rng.choice(REGIONS[1:])
        if rng.random() < 0.92:
            tc["epochs"] = rng.randint(1, 5)
        tc["batchSize"] = rng.choice([16384, 32768, 65536])
        tc["gradientAccumulationSteps"] = rng.choice([1, 2, 4, 8])
        warm = rng.choice([0, 10, 50, 100])
        if warm:
            tc["learningRateWarmupSteps"] = warm      # proto3 JSON omits zero
        job["trainingConfig"] = tc
        if rng.random() < 0.4:
            ent, proj = rng.choice([f"{acct}-ml", "research-team"]), rng.choice(["dpo-experiments", "prefs", "safety"])
            run = "".join(rng.choice(alnum) for _ in range(8))
            job["wandbConfig"] = {"enabled": rng.random() < 0.8, "project": proj, "entity": ent, "runId": run,
                                  "url": f"https://wandb.ai/{ent}/{proj}/runs/{run}"}
            secrets[name] = "wk-" + "".join(rng.choice("0123456789abcdef") for _ in range(40))
        jobs.append(job)
    return jobs, secrets


# ----------------------------------------------------------------------------- HTTP
API_KEYS = {"key-acme": "acme", "key-other": "other"}
PATH_RE = re.compile(r"/v1/accounts/([^/]+)/dpoJobs")
HTTP_STATUS = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
               405: "UNIMPLEMENTED", 408: "DEADLINE_EXCEEDED", 413: "INVALID_ARGUMENT", 414: "INVALID_ARGUMENT",
               431: "INVALID_ARGUMENT", 500: "INTERNAL", 501: "UNIMPLEMENTED", 505: "UNIMPLEMENTED"}
# CHOICE: both camelCase (JSON) and snake_case (proto) query parameter names are accepted; giving a
# parameter twice (in either spelling) is a 400. Unknown query parameters are ignored.
PARAMS = {"pageSize": "page_size", "pageToken": "page_token", "filter": "filter",
          "orderBy": "order_by", "readMask": "read_mask"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"          # keep-alive; every response carries Content-Length
    # Headers and body go out as two writes: without TCP_NODELAY the second waits for the
    # client's delayed ACK (~40 ms per request on Linux loopback).
    disable_nagle_algorithm = True
    state = None                           # set in main(): dict(jobs=..., box=...)

    def version_string(self):
        return "indep-dpo-list/1.0"

    def log_message(self, fmt, *args):     # quiet
        pass

    def send_json(self, code, body, headers=()):
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def send_api_error(self, e, headers=()):
        err = {"code": e.http, "message": e.message, "status": e.status}
        # AIP-193: ErrorInfo always; BadRequest.fieldViolations for a bad parameter.
        details = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": e.reason or e.status,
                    "domain": "api.fireworks.ai", "metadata": {"service": "ListDpoJobs"}}]
        if e.field:
            details.append({"@type": "type.googleapis.com/google.rpc.BadRequest",
                            "fieldViolations": [{"field": e.field, "description": e.message}]})
        err["details"] = details
        self.send_json(e.http, {"error": err}, headers)

    def send_error(self, code, message=None, explain=None):
        # Replaces http.server's HTML errors (bad request line, oversized headers, ...).
        self.close_connection = True
        if self.request_version == "HTTP/0.9":   # unparsable request line: still answer with headers
            self.request_version = "HTTP/1.0"
        status = HTTP_STATUS.get(code, "UNKNOWN")
        msg = message or self.responses.get(code, ("Error",))[0]
        try:
            self.send_api_error(ApiError(code, status, msg))
        except OSError:
            pass

    def do_GET(self):
        try:
            self.route()
        except ApiError as e:
            self.send_api_error(e, [("WWW-Authenticate", 'Bearer realm="api.fireworks.ai"')] if e.http == 401 else [])
        except Exception as e:  # never expected; still answer in the error shape
            self.send_api_error(ApiError(500, "INTERNAL", f"internal error: {type(e).__name__}"))

    do_HEAD = do_GET                       # CHOICE: HEAD = GET without a body

    def unsupported(self):
        # Other methods: 501 UNIMPLEMENTED (the google.rpc mapping) + Allow, on any known route;
        # unknown paths stay 404. A request body is drained so keep-alive still works.
        length = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
        elif length and length.isdigit() and int(length) <= 1 << 20:
            self.rfile.read(int(length))
        elif length:
            self.close_connection = True
        path = urllib.parse.urlsplit(self.path).path
        if not PATH_RE.fullmatch(path):
            return self.send_api_error(ApiError(404, "NOT_FOUND", f"no route for {path}"))
        self.send_api_error(ApiError(501, "UNIMPLEMENTED", f"method {self.command} is not implemented on {path}"),
                            [("Allow", "GET, HEAD")])

    def __getattr__(self, name):
        if name.startswith("do_"):
            return self.unsupported
        raise AttributeError(name)

    def route(self):
        split = urllib.parse.urlsplit(self.path)
        m = PATH_RE.fullmatch(split.path)
        # CHOICE: routing happens before authentication: unknown paths are 404 even without a key.
        if not m:
            raise ApiError(404, "NOT_FOUND", f"no route for {split.path}")
        try:
            account = urllib.parse.unquote(m.group(1), errors="strict")
        except UnicodeDecodeError:
            raise ApiError(404, "NOT_FOUND", "account id is not valid UTF-8")
        self.authorize(account)
        try:
            pairs = urllib.parse.parse_qsl(split.query, keep_blank_values=True, errors="strict")
        except (UnicodeDecodeError, ValueError):
            raise bad("query string is not valid UTF-8", None)
        params = {}
        for k, v in pairs:
            canon = next((c for c, s in PARAMS.items() if k in (c, s)), None)
            if canon is None:
                continue
            if canon in params:
                raise bad(f"parameter '{canon}' given more than once", canon)
            params[canon] = v
        self.send_json(200, list_jobs(self.state, account, params))

    def authorize(self, account):
        values = self.headers.get_all("Authorization") or []
        m = re.fullmatch(r"[Bb][Ee][Aa][Rr][Ee][Rr] +(\S+) *", values[0]) if len(values) == 1 else None
        key_account = API_KEYS.get(m.group(1)) if m else None
        if key_account is None:
            raise ApiError(401, "UNAUTHENTICATED", "missing or invalid API key; expected 'Authorization: Bearer <API_KEY>'")
        if FAULT == "other-account-leak" and account in API_KEYS.values():
            return                  # FAULT: any valid key may read any existing account
        if key_account != account:
            # AIP-211: same answer whether or not the account exists.
            raise ApiError(403, "PERMISSION_DENIED",
                           f"Permission 'dpoJobs.list' denied on resource 'accounts/{account}' (or it might not exist).")


def parse_page_size(text):
    if text is None:
        return 50
    # CHOICE: decimal digits with an optional sign only (empty, '1.0', '1e3', ' 5' -> 400); values
    # outside int32 are a 400 as the field is int32; 201..INT32_MAX are coerced to 200.
    if not re.fullmatch(r"[+-]?\d{1,20}", text):
        raise bad(f"pageSize: '{text}' is not an integer", "pageSize")
    n = int(text)
    if n < 0:
        if FAULT == "negative-page-size-ok":
            return 50                          # FAULT: negative treated like 0 (the default)
        raise bad("pageSize: must not be negative", "pageSize")
    if n > INT32_MAX:
        raise bad("pageSize: out of range for int32", "pageSize")
    if FAULT == "page-size-over-max":
        return 50 if n == 0 else min(n, 500)   # FAULT: cap of 500 instead of the documented 200
    return 50 if n == 0 else min(n, 200)


def list_jobs(state, account, params):
    size = parse_page_size(params.get("pageSize"))
    fcanon, pred = compile_filter(params.get("filter", ""))
    keys = parse_order_by(params.get("orderBy", ""))
    mask = parse_read_mask(params.get("readMask", ""))
    # Token binding. CHOICE: bound to the *meaning* of filter/orderBy/readMask (parsed, canonical
    # forms), not their spelling: whitespace, snake/camel case, "name" vs "" vs "name asc", and
    # ignored readMask paths do not invalidate a token; any semantic change does (400).
    binding = hashlib.sha256(json.dumps(
        [fcanon, [[".".join(p), d] for p, _, d in keys], mask and [".".join(p) for p in mask]],
        ensure_ascii=False).encode()).hexdigest()[:24]
    matched = sorted((j for j in state["jobs"][account] if pred(j)), key=make_comparator(keys))
    offset, token = 0, params.get("pageToken", "")
    if token:                              # CHOICE: an empty pageToken means the first page
        payload = state["box"].open(token)
        if payload.get("a") != account:
            # CHOICE: a token of another account is 400 (the caller is authorised for this account).
            raise bad("pageToken: the page token was issued for a different account", "pageToken",
                      "INVALID_PAGE_TOKEN")
        if payload.get("b") != binding and FAULT != "token-unbound":   # FAULT: binding not checked
            raise bad("pageToken: filter, orderBy and readMask must match the request that produced "
                      "the page token", "pageToken", "PAGE_TOKEN_MISMATCH")
        offset = payload["o"]
        if FAULT == "token-unbound":
            pass                           # FAULT: no keyset check either; the offset is used as is
        elif FAULT == "last-page-token" and offset == len(matched) > 0 and matched[-1]["name"] == payload.get("n"):
            pass                           # FAULT: the token past the end is accepted (empty page)
        elif not 0 < offset < len(matched) or matched[offset - 1]["name"] != payload.get("n"):
            raise bad("pageToken: the page token no longer matches the collection", "pageToken",
                      "INVALID_PAGE_TOKEN")
        if FAULT == "offset-off-by-one":
            offset += 1                    # FAULT: next page starts one item too late
        elif FAULT == "duplicate-at-boundary":
            offset -= 1                    # FAULT: next page starts one item too early
    page = matched[offset:offset + size]
    end = offset + len(page)
    body = {}
    # CHOICE: like proto3 JSON, an empty page omits `dpoJobs`; `totalSize` is always present.
    if page:
        body["dpoJobs"] = [apply_mask(j, None if FAULT == "read-mask-ignored" else mask) for j in page]  # FAULT: mask dropped
    if end < len(matched) or FAULT == "last-page-token" and page:   # FAULT: token whenever the page is non-empty
        # Keyset check: the token carries the offset and the last name served.
        body["nextPageToken"] = state["box"].seal({"a": account, "b": binding, "o": end, "n": page[-1]["name"]})
    body["totalSize"] = len(matched)
    if FAULT == "total-size-unfiltered":
        body["totalSize"] = len(state["jobs"][account])   # FAULT: counted before filtering
    elif FAULT == "total-size-page":
        body["totalSize"] = len(page)                     # FAULT: counted on the page
    return body


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=120)
    ap.add_argument("--seed", default="1")
    ap.add_argument("--fault", choices=sorted(FAULTS), metavar="NAME",
                    help="break the contract in one realistic way (see --list-faults)")
    ap.add_argument("--list-faults", action="store_true", help="print the fault names and exit")
    args = ap.parse_args()
    if args.list_faults:
        for name, what in FAULTS.items():
            print(f"{name:24s} {what}")
        return
    global FAULT
    FAULT = args.fault
    jobs = {}
    for acct in ("acme", "other"):
        jobs[acct], _secrets = gen_jobs(acct, max(0, args.jobs), args.seed)  # secrets are never served (except under the apikey-leak fault)
        if FAULT == "apikey-leak":
            # FAULT: the secret is stored on the resource itself, so it is serialized like any field.
            for job in jobs[acct]:
                if "wandbConfig" in job:
                    job["wandbConfig"]["apiKey"] = _secrets[job["name"]]
                    job["wandbConfig"] = reorder(job["wandbConfig"], SCHEMA["wandbConfig"])
    Handler.state = {"jobs": jobs, "box": TokenBox(args.seed)}
    ThreadingHTTPServer.daemon_threads = True
    srv = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(f"listening on http://127.0.0.1:{srv.server_address[1]}", flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
