#!/usr/bin/env python3
"""Self-test for list_server.py: starts it, walks pages, checks filters/orders/tokens/errors."""
import http.client, json, subprocess, sys, urllib.parse, datetime

proc = subprocess.Popen([sys.executable, "list_server.py", "--port", "0", "--jobs", "120", "--seed", "7"],
                        stdout=subprocess.PIPE, text=True)
PORT = int(proc.stdout.readline().rsplit(":", 1)[1])
conn = http.client.HTTPConnection("127.0.0.1", PORT)   # one keep-alive connection for everything
FAILS = []


def call(params=None, key="key-acme", acct="acme", method="GET", path=None):
    path = path or f"/v1/accounts/{acct}/dpoJobs"
    if params:
        path += "?" + urllib.parse.urlencode(params)
    h = {"Authorization": f"Bearer {key}"} if key else {}
    conn.request(method, path, headers=h)
    r = conn.getresponse()
    data = r.read()
    assert r.getheader("Content-Type") == "application/json", r.getheader("Content-Type")
    return r.status, (json.loads(data) if data else None)


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print("FAIL:", what)


def walk(params, size, key="key-acme", acct="acme"):
    out, tok, n = [], None, 0
    while True:
        p = dict(params, pageSize=size)
        if tok:
            p["pageToken"] = tok
        st, b = call(p, key, acct)
        assert st == 200, (st, b, p)
        jobs = b.get("dpoJobs", [])
        tok = b.get("nextPageToken")
        total = b["totalSize"]
        eff = 50 if size == 0 else min(size, 200)
        check(len(jobs) == min(eff, total - len(out)), f"page size {size} {params}: got {len(jobs)}")
        out += jobs
        n += 1
        if not tok:
            break
    check(len(out) == total, f"walk total {params} {len(out)} != {total}")
    return out


def ts(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")) if s else None


ALL = walk({}, 200)
names = [j["name"] for j in ALL]
check(names == sorted(names) and len(set(names)) == 120, "default order by name, unique")
check(all("apiKey" not in j.get("wandbConfig", {}) for j in ALL), "no apiKey")
check(all("dataset" in j for j in ALL), "dataset always present")
check(any("wandbConfig" in j for j in ALL), "some wandb")
for size in (1, 7, 0, 50, 119, 120, 500):
    check([j["name"] for j in walk({}, size)] == names, f"walk size {size}")


def g(j, path):
    for s in path.split("."):
        if not isinstance(j, dict) or s not in j:
            return None
        j = j[s]
    return j


# ---- filters vs an oracle
FILTERS = {
    'state = JOB_STATE_COMPLETED': lambda j: j["state"] == "JOB_STATE_COMPLETED",
    'state != JOB_STATE_COMPLETED': lambda j: j["state"] != "JOB_STATE_COMPLETED",
    'trainingConfig.epochs >= 3': lambda j: (g(j, "trainingConfig.epochs") or -1) >= 3,
    'training_config.epochs < 3': lambda j: g(j, "trainingConfig.epochs") is not None and g(j, "trainingConfig.epochs") < 3,
    'trainingConfig.learningRate > 1e-5 AND trainingConfig.learningRate <= 0.0002':
        lambda j: 1e-5 < j["trainingConfig"]["learningRate"] <= 0.0002,
    'createTime > "2024-06-01T00:00:00Z"': lambda j: ts(j["createTime"]) > ts("2024-06-01T00:00:00Z"),
    'createTime >= "2024-06-01T02:00:00+02:00"': lambda j: ts(j["createTime"]) >= ts("2024-06-01T00:00:00Z"),
    'completedTime:*': lambda j: "completedTime" in j,
    'NOT completedTime:*': lambda j: "completedTime" not in j,
    '-wandbConfig:*': lambda j: "wandbConfig" not in j,
    'wandbConfig.enabled = true': lambda j: g(j, "wandbConfig.enabled") is True,
    'wandbConfig.enabled != true': lambda j: g(j, "wandbConfig.enabled") is not True,
    'displayName = "baseline run"': lambda j: j.get("displayName") == "baseline run",
    'displayName:baseline': lambda j: "baseline" in j.get("displayName", "").lower(),
    'displayName = "safety*"': lambda j: j.get("displayName", "").startswith("safety"),
    'displayName = "*v2"': lambda j: j.get("displayName", "").endswith("v2"),
    'state = JOB_STATE_FAILED OR state = JOB_STATE_CANCELLED': lambda j: j["state"] in ("JOB_STATE_FAILED", "JOB_STATE_CANCELLED"),
    # OR binds tighter than AND: a AND b OR c == a AND (b OR c)
    'trainingConfig.loraRank = 8 AND state = JOB_STATE_FAILED OR state = JOB_STATE_RUNNING':
        lambda j: j["trainingConfig"]["loraRank"] == 8 and j["state"] in ("JOB_STATE_FAILED", "JOB_STATE_RUNNING"),
    'trainingConfig.loraRank = 8 state = JOB_STATE_FAILED OR state = JOB_STATE_RUNNING':
        lambda j: j["trainingConfig"]["loraRank"] == 8 and j["state"] in ("JOB_STATE_FAILED", "JOB_STATE_RUNNING"),
    '(trainingConfig.loraRank = 8 AND state = JOB_STATE_FAILED) OR state = JOB_STATE_RUNNING':
        lambda j: (j["trainingConfig"]["loraRank"] == 8 and j["state"] == "JOB_STATE_FAILED") or j["state"] == "JOB_STATE_RUNNING",
    'state = (JOB_STATE_FAILED OR JOB_STATE_RUNNING)': lambda j: j["state"] in ("JOB_STATE_FAILED", "JOB_STATE_RUNNING"),
    'trainingConfig:warmStartFrom': lambda j: "warmStartFrom" in j["trainingConfig"],
    'status.code = CANCELLED': lambda j: j["status"]["code"] == "CANCELLED",
    'trainingConfig.region = US_IOWA_1': lambda j: g(j, "trainingConfig.region") == "US_IOWA_1",
    'name > "accounts/acme/dpoJobs/m"': lambda j: j["name"] > "accounts/acme/dpoJobs/m",
    'ultrafeedback': lambda j: "ultrafeedback" in json.dumps(j).lower(),
    'dataset = "accounts/acme/datasets/hh-rlhf-pairs"': lambda j: j["dataset"].endswith("hh-rlhf-pairs"),
}
for f, oracle in FILTERS.items():
    want = [j["name"] for j in ALL if oracle(j)]
    for size in (3, 50):
        got = walk({"filter": f}, size)
        check([j["name"] for j in got] == want, f"filter {f!r} size {size}: {len(got)} vs {len(want)}")
    print(f"{len(want):4d}  {f}")


# ---- orders
def key_of(path, desc, enum_order=None):
    def k(j):
        v = g(j, path)
        if path.endswith("Time") and v:
            v = ts(v)
        return v
    return k


for ob, path in [("displayName", "displayName"), ("displayName desc", "displayName"),
                 ("createTime desc", "createTime"), (" trainingConfig.epochs , displayName desc ", None),
                 ("completedTime", "completedTime"), ("state", "state"), ("wandbConfig.enabled desc", None),
                 ("trainingConfig.learningRate", "trainingConfig.learningRate")]:
    for size in (4, 200):
        got = walk({"orderBy": ob}, size)
        check(sorted(j["name"] for j in got) == names, f"order {ob}: completeness")
    if path:
        desc = ob.strip().endswith("desc")
        vals = [key_of(path, desc)(j) for j in got]
        present = [v for v in vals if v is not None]
        if path == "state":
            import list_server as ls
            present = [ls.JOB_STATES.index(v) for v in present]
        check(present == sorted(present, reverse=desc), f"order {ob}: sorted")
        # missing last ascending, first descending
        miss = [v is None for v in vals]
        check(miss == sorted(miss, reverse=desc), f"order {ob}: missing placement")
        # ties by name asc
        for a, b in zip(got, got[1:]):
            if key_of(path, desc)(a) == key_of(path, desc)(b):
                check(a["name"] < b["name"], f"order {ob}: tie by name")

# ---- readMask
st, b = call({"readMask": "name,trainingConfig.epochs,bogus", "pageSize": 200})
check(st == 200 and all(set(j) <= {"name", "trainingConfig"} for j in b["dpoJobs"]), "readMask subset")
check(all(set(j.get("trainingConfig", {})) <= {"epochs"} for j in b["dpoJobs"]), "readMask subfield")
st, b = call({"readMask": "*", "pageSize": 200})
check(b["dpoJobs"] == ALL, "readMask *")

# ---- tokens
st, b = call({"pageSize": 10, "filter": "state = JOB_STATE_COMPLETED"})
tok = b["nextPageToken"]
st2, _ = call({"pageSize": 10, "filter": "state  =  JOB_STATE_COMPLETED", "pageToken": tok})
check(st2 == 200, "token survives whitespace-only change of filter")
for bad_params in ({"filter": "state = JOB_STATE_FAILED"}, {"filter": "state = JOB_STATE_COMPLETED", "orderBy": "displayName"},
                   {"filter": "state = JOB_STATE_COMPLETED", "readMask": "name"}):
    st2, b2 = call(dict(bad_params, pageToken=tok))
    check(st2 == 400 and b2["error"]["status"] == "INVALID_ARGUMENT", f"token binding {bad_params}")
for t in (tok[:-3], tok[:-1] + ("A" if tok[-1] != "A" else "B"), "garbage", "AAAA", tok + "==", "!!"):
    st2, b2 = call({"filter": "state = JOB_STATE_COMPLETED", "pageToken": t})
    check(st2 == 400, f"bad token {t[:20]} -> {st2}")
st, b = call({"pageSize": 5}, "key-other", "other")
st2, b2 = call({"pageSize": 5, "pageToken": b["nextPageToken"]})
check(st2 == 400, "other account token")

# ---- errors
for p in ({"pageSize": -1}, {"pageSize": "abc"}, {"pageSize": "1.5"}, {"pageSize": ""}, {"pageSize": 2**31},
          {"orderBy": "bogus"}, {"orderBy": "name sideways"}, {"orderBy": "trainingConfig"}, {"orderBy": "name,"},
          {"filter": "bogus = 1"}, {"filter": "state = NOPE"}, {"filter": "trainingConfig.epochs = x"},
          {"filter": "(state = JOB_STATE_FAILED"}, {"filter": "state ="}, {"filter": "AND"}, {"filter": "a OR"},
          {"filter": 'createTime > "yesterday"'}, {"filter": "wandbConfig.enabled = yes"}, {"filter": "state < JOB_STATE_FAILED"},
          {"filter": "x(1)"}, {"filter": "wandbConfig.apiKey:*"}, {"filter": "(" * 500}, {"filter": '"unterminated'},
          {"filter": "trainingConfig = 3"}, {"filter": "name.foo = 1"}, {"filter": "trainingConfig.epochs = 2.5"}):
    st, b = call(p)
    check(st == 400 and b["error"]["code"] == 400 and b["error"]["status"] == "INVALID_ARGUMENT", f"400 for {p}: {st}")
st, b = call({"pageSize": 201})
check(len(b["dpoJobs"]) == 120 or len(b["dpoJobs"]) == 200, "coerce")
st, b = call({}, key=None); check(st == 401 and b["error"]["status"] == "UNAUTHENTICATED", "401 none")
st, b = call({}, key="nope"); check(st == 401, "401 bad key")
st, b = call({"pageSize": -1}, key="key-other"); check(st == 403 and b["error"]["status"] == "PERMISSION_DENIED", "403 before 400")
st, b = call({}, key="key-acme", acct="nobody"); check(st == 403, "403 unknown account")
st, b = call(path="/v1/accounts/acme/dpoJobs/x"); check(st == 404 and b["error"]["status"] == "NOT_FOUND", "404")
st, b = call(method="DELETE"); check(st in (405, 501) and "error" in b, "405/501")
st, b = call({"filter": "state = JOB_STATE_UNSPECIFIED"}); check(st == 200 and b["totalSize"] == 0 and "nextPageToken" not in b, "empty")
print("FAILURES:", len(FAILS))
proc.terminate()
sys.exit(1 if FAILS else 0)
