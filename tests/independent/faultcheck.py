#!/usr/bin/env python3
"""Proves each `list_server.py --fault NAME` changes behaviour as intended.

For every fault, one probe is run against a default server and against a server started with that
fault (both on port 0, --jobs 300 so that page sizes above 200 are observable). The probe must give
the contract's answer on the default server and the intended wrong answer on the faulty one.
Usage: python3 faultcheck.py [FAULT ...]
"""
import http.client, json, subprocess, sys, urllib.parse

ARGS = ["--port", "0", "--jobs", "300", "--seed", "7"]
MAX_PAGES = 400                                   # loop guard (duplicate-at-boundary with pageSize 1)


class Server:
    def __init__(self, fault=None):
        cmd = [sys.executable, "list_server.py", *ARGS] + (["--fault", fault] if fault else [])
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        self.conn = http.client.HTTPConnection("127.0.0.1", int(self.proc.stdout.readline().rsplit(":", 1)[1]))

    def call(self, params=None, key="key-acme", acct="acme"):
        path = f"/v1/accounts/{acct}/dpoJobs" + ("?" + urllib.parse.urlencode(params) if params else "")
        self.conn.request("GET", path, headers={"Authorization": f"Bearer {key}"})
        r = self.conn.getresponse()
        return r.status, json.loads(r.read())

    def ok(self, params=None, **kw):
        st, b = self.call(params, **kw)
        assert st == 200, (st, b, params)
        return b

    def names(self, params=None, **kw):
        return [j["name"] for j in self.ok(dict(params or {}, pageSize=200), **kw).get("dpoJobs", [])]

    def walk(self, params, size):
        out, tok = [], None
        for _ in range(MAX_PAGES):
            b = self.ok(dict(params, pageSize=size, **({"pageToken": tok} if tok else {})))
            out += [j["name"] for j in b.get("dpoJobs", [])]
            tok = b.get("nextPageToken")
            if not tok:
                break
        return out

    def stop(self):
        self.conn.close()
        self.proc.terminate()
        self.proc.wait()


# Each probe(server) returns a value; EXPECT[name] = (predicate on default value, predicate on
# faulty value, what the faulty value shows). Probes may also use the default server D.
D = None


def p_offset(s):
    return s.walk({}, 7)


def p_order(s):
    return s.names({"orderBy": "trainingConfig.epochs desc, displayName desc"})


def p_total(s):
    return s.ok({"filter": "state = JOB_STATE_COMPLETED", "pageSize": 7})["totalSize"]


def p_token_unbound(s):
    tok = s.ok({"filter": "state = JOB_STATE_COMPLETED", "pageSize": 10})["nextPageToken"]
    st, b = s.call({"filter": "state = JOB_STATE_RUNNING", "pageSize": 10, "pageToken": tok})
    return st, [j["name"] for j in b.get("dpoJobs", [])]


def p_last_page(s):
    b = s.ok({"filter": "state = JOB_STATE_COMPLETED", "pageSize": 200})   # one full page (< 200 match)
    if "nextPageToken" not in b:
        return len(b["dpoJobs"]), None
    b2 = s.ok({"filter": "state = JOB_STATE_COMPLETED", "pageSize": 200, "pageToken": b["nextPageToken"]})
    return len(b["dpoJobs"]), b2


def fractional_job_literal():
    # A job whose createTime has 3 or 6 fraction digits; the same instant padded to 9 digits.
    for j in D.ok({"pageSize": 200, "readMask": "name,createTime"})["dpoJobs"]:
        ct = j["createTime"]
        if "." in ct and len(ct.split(".")[1]) in (4, 7):          # ".fffZ" / ".ffffffZ"
            return j["name"], ct[:-1].ljust(29, "0") + "Z"


def p_ts(s):
    name, lit = fractional_job_literal()
    return name in s.names({"filter": f'createTime = "{lit}"'})


ALL300 = None
PROBES = {
    "offset-off-by-one": (p_offset, lambda v: v == ALL300, lambda v: len(v) < 300 and len(set(v)) == len(v)
                          and set(ALL300) - set(v) == {ALL300[i] for i in range(7, 300, 8)},
                          "walk(pageSize=7) loses exactly the first item of every later page"),
    "duplicate-at-boundary": (p_offset, lambda v: v == ALL300, lambda v: len(v) > 300 and set(v) == set(ALL300)
                              and all(v[i] == v[i - 1] for i in range(7, 7 * 40, 7)),
                              "walk(pageSize=7): first item of each later page repeats the previous page's last"),
    "desc-ignored-second-key": (p_order, lambda v: v != D.names({"orderBy": "trainingConfig.epochs desc, displayName"}),
                                lambda v: v == D.names({"orderBy": "trainingConfig.epochs desc, displayName"}),
                                "'epochs desc, displayName desc' == correct 'epochs desc, displayName asc'"),
    "not-ignored": (lambda s: s.names({"filter": "NOT completedTime:*"}) + ["|"] + s.names({"filter": "-wandbConfig:*"}),
                    lambda v: v != D.names({"filter": "completedTime:*"}) + ["|"] + D.names({"filter": "wandbConfig:*"}),
                    lambda v: v == D.names({"filter": "completedTime:*"}) + ["|"] + D.names({"filter": "wandbConfig:*"}),
                    "'NOT x' / '-x' return exactly what 'x' returns"),
    "or-as-and": (lambda s: s.names({"filter": "state = JOB_STATE_FAILED OR trainingConfig.loraRank = 8"}),
                  lambda v: len(v) > len(D.names({"filter": "state = JOB_STATE_FAILED AND trainingConfig.loraRank = 8"})),
                  lambda v: v == D.names({"filter": "state = JOB_STATE_FAILED AND trainingConfig.loraRank = 8"}),
                  "'a OR b' returns exactly 'a AND b'"),
    "total-size-unfiltered": (p_total, lambda v: 7 < v < 300, lambda v: v == 300, "totalSize with a filter = 300"),
    "total-size-page": (p_total, lambda v: 7 < v < 300, lambda v: v == 7, "totalSize = 7 (the page length)"),
    "token-unbound": (p_token_unbound, lambda v: v[0] == 400,
                      lambda v: v == (200, D.names({"filter": "state = JOB_STATE_RUNNING"})[10:20]),
                      "a COMPLETED-filter token gives 200 and RUNNING items 10..19 (continues by offset)"),
    "page-size-over-max": (lambda s: len(s.ok({"pageSize": 500})["dpoJobs"]), lambda v: v == 200, lambda v: v == 300,
                           "pageSize=500 returns 300 items (not capped at 200)"),
    "negative-page-size-ok": (lambda s: s.call({"pageSize": -1})[0], lambda v: v == 400, lambda v: v == 200,
                              "pageSize=-1 is 200 OK"),
    "read-mask-ignored": (lambda s: {k for j in s.ok({"readMask": "name"})["dpoJobs"] for k in j},
                          lambda v: v == {"name"}, lambda v: {"name", "state", "trainingConfig"} <= v,
                          "readMask=name still returns every field"),
    "timestamp-text-order": (p_ts, lambda v: v is True, lambda v: v is False,
                             "createTime = <same instant, 9 fraction digits> no longer matches"),
    "apikey-leak": (lambda s: [j["wandbConfig"].get("apiKey") for j in s.ok({"pageSize": 200})["dpoJobs"] if "wandbConfig" in j],
                    lambda v: v and not any(v), lambda v: v and all(k and k.startswith("wk-") for k in v),
                    "every wandbConfig carries apiKey 'wk-…'"),
    "last-page-token": (p_last_page, lambda v: v[1] is None,
                        lambda v: v[1] is not None and "dpoJobs" not in v[1] and "nextPageToken" not in v[1],
                        "single complete page has a nextPageToken; following it gives an empty page"),
    "unknown-order-500": (lambda s: (lambda r: (r[0], r[1]["error"]["status"]))(s.call({"orderBy": "bogus"})),
                          lambda v: v == (400, "INVALID_ARGUMENT"), lambda v: v == (500, "INTERNAL"),
                          "orderBy=bogus is 500 INTERNAL"),
    "other-account-leak": (lambda s: (s.call(key="key-other")[0], s.call(key="key-other", acct="nobody")[0]),
                           lambda v: v == (403, 403), lambda v: v == (200, 403),
                           "key-other lists acme (200); unknown accounts still 403"),
}


def main():
    global D, ALL300
    sys.path.insert(0, ".")
    import list_server
    assert set(PROBES) == set(list_server.FAULTS), set(PROBES) ^ set(list_server.FAULTS)
    names = sys.argv[1:] or list(PROBES)
    D = Server()
    ALL300 = D.walk({}, 200)
    assert len(ALL300) == 300 == len(set(ALL300))
    fails = 0
    for name in names:
        probe, good, broken, what = PROBES[name]
        s = Server(name)
        try:
            dv, fv = probe(D), probe(s)
            res = "ok" if good(dv) and broken(fv) else "FAIL"
        except Exception as e:                     # a probe crashing counts as a failure
            res, dv, fv = "FAIL", None, repr(e)
        finally:
            s.stop()
        fails += res != "ok"
        print(f"{res:4s}  {name:24s} {what}")
        if res != "ok":
            print("      default:", str(dv)[:300], "\n      fault:  ", str(fv)[:300])
    D.stop()
    print("FAULT CHECK FAILURES:", fails)
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
