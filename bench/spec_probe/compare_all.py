import json, glob, os, collections
co, ao, total, specs = [], [], 0, 0
for j in sorted(glob.glob('*.json')):
    har = j[:-5] + '.har'
    aj = har + '.ajv.json'
    if not os.path.exists(aj) or os.path.getsize(j) == 0: continue
    try:
        d = json.load(open(j)); a = json.load(open(aj)); ops = json.load(open(har + '.ops.json'))
    except Exception as e:
        continue
    specs += 1
    conf = {}
    for c in d.get('cases', []):
        i = int(c['name'].rsplit(' ', 1)[1])
        conf[i] = [f for f in c['findings'] if f['level'] == 'must' and f['check_id'].startswith('response.schema')]
    for i, r in a.items():
        i = int(i); total += 1
        if i not in conf: continue
        if r == 'ok' and conf[i]:
            f = conf[i][0]; co.append((j, i, ops[i][:3], f['check_id'], f.get('json_pointer'), f['message'][:140], f.get('actual','')[:60]))
        if r != 'ok' and not r.startswith('compile') and not conf[i]:
            ao.append((j, i, ops[i][:3], r[:140]))
print('specs', specs, 'entries', total, 'conform-only', len(co), 'ajv-only', len(ao))
for x in co: print('C', *x)
for x in ao: print('A', *x)
