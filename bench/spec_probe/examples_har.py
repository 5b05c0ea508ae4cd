# Build a HAR from the response examples of an OpenAPI document (JSON or YAML via PyYAML-less JSON only).
import json, sys, re
spec = json.load(open(sys.argv[1]))
base = sys.argv[3] if len(sys.argv) > 3 else None
def resolve(node):
    seen = 0
    while isinstance(node, dict) and '$ref' in node and seen < 20:
        ref = node['$ref']; seen += 1
        if not ref.startswith('#/'): return None
        cur = spec
        for part in ref[2:].split('/'):
            part = part.replace('~1', '/').replace('~0', '~')
            cur = cur[part]
        node = cur
    return node
servers = spec.get('servers') or [{'url': 'https://example.com'}]
server = base or servers[0]['url']
entries = []
sidecar = []
for path, item in spec.get('paths', {}).items():
    item = resolve(item)
    for method, op in item.items():
        if method not in ('get','put','post','delete','patch'): continue
        params = (item.get('parameters') or []) + (op.get('parameters') or [])
        p = path
        query = []
        for prm in params:
            prm = resolve(prm)
            if prm is None: continue
            val = prm.get('example')
            sch = resolve(prm.get('schema') or {}) or {}
            if val is None: val = sch.get('example', sch.get('default'))
            if val is None:
                t = sch.get('type')
                if 'enum' in sch: val = sch['enum'][0]
                elif t == 'integer' or t == 'number': val = sch.get('minimum', 1)
                elif t == 'boolean': val = 'true'
                else: val = 'x'
            if isinstance(val, bool): val = 'true' if val else 'false'
            if prm['in'] == 'path': p = p.replace('{' + prm['name'] + '}', str(val))
            elif prm['in'] == 'query' and prm.get('required'): query.append((prm['name'], str(val)))
        for status, resp in (op.get('responses') or {}).items():
            resp = resolve(resp)
            if not resp or not status.isdigit(): continue
            for ctype, media in (resp.get('content') or {}).items():
                if 'json' not in ctype: continue
                exs = []
                if 'example' in media: exs.append(media['example'])
                for name, ex in (media.get('examples') or {}).items():
                    ex = resolve(ex)
                    if ex and 'value' in ex: exs.append(ex['value'])
                for ex in exs:
                    body = json.dumps(ex)
                    qs = '&'.join(f'{k}={v}' for k, v in query)
                    url = server.rstrip('/') + p + ('?' + qs if qs else '')
                    sidecar.append([path, method, status, ctype])
                    entries.append({'startedDateTime': '2026-11-29T00:00:00Z', 'time': 1,
                        'request': {'method': method.upper(), 'url': url, 'httpVersion': 'HTTP/1.1',
                            'headers': [{'name': 'Content-Type', 'value': 'application/json'}] if method in ('post','put','patch') else [],
                            'queryString': [{'name': k, 'value': v} for k, v in query], 'cookies': [], 'headersSize': -1, 'bodySize': -1,
                            **({'postData': {'mimeType': 'application/json', 'text': '{}'}} if method in ('post','put','patch') else {})},
                        'response': {'status': int(status), 'statusText': '', 'httpVersion': 'HTTP/1.1',
                            'headers': [{'name': 'Content-Type', 'value': ctype}], 'cookies': [],
                            'content': {'size': len(body), 'mimeType': ctype, 'text': body}, 'redirectURL': '', 'headersSize': -1, 'bodySize': len(body)},
                        'cache': {}, 'timings': {'send': 0, 'wait': 1, 'receive': 0}})
json.dump({'log': {'version': '1.2', 'creator': {'name': 'examples_har', 'version': '1'}, 'entries': entries}}, open(sys.argv[2], 'w'))
json.dump(sidecar, open(sys.argv[2] + '.ops.json', 'w'))
print(len(entries), 'entries', file=sys.stderr)
