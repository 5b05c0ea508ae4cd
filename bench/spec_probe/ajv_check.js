// ajv over a non-dereferenced OpenAPI 3.0 spec: components converted, refs made absolute.
const fs = require('fs');
const Ajv = require('ajv');
const Ajv2020 = require('ajv/dist/2020');
const addFormats = require('ajv-formats');
const {fromSchema} = require('@openapi-contrib/openapi-schema-to-json-schema');
const spec = JSON.parse(fs.readFileSync(process.argv[2]));
const har = JSON.parse(fs.readFileSync(process.argv[3]));
const ops = JSON.parse(fs.readFileSync(process.argv[3] + '.ops.json'));
const v31 = String(spec.openapi).startsWith('3.1');
const ajv = v31 ? new Ajv2020({strict: false}) : new Ajv({strict: false});
addFormats(ajv);
function absolutise(node) {
  if (Array.isArray(node)) return node.map(absolutise);
  if (node && typeof node === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(node))
      out[k] = (k === '$ref' && typeof v === 'string' && v.startsWith('#/')) ? 'spec' + v :
                                                                               absolutise(v);
    return out;
  }
  return node;
}
const conv = s =>
    v31 ? s : fromSchema(s, {removeReadOnly: false, removeWriteOnly: true, cloneSchema: true});
const comps = {};
for (const [n, s] of Object.entries((spec.components || {}).schemas || {})) {
  const c = conv(s);
  delete c.$schema;
  comps[n] = absolutise(c);
}
ajv.addSchema({$id: 'spec', components: {schemas: comps}});
function resolve(node) {
  while (node && node.$ref) {
    let cur = spec;
    for (const p of node.$ref.slice(2).split('/'))
      cur = cur[p.replace(/~1/g, '/').replace(/~0/g, '~')];
    node = cur;
  }
  return node;
}
const out = {};
har.log.entries.forEach((e, i) => {
  const [path, method, status, ctype] = ops[i];
  const resp = resolve(resolve(spec.paths[path])[method].responses[status]);
  const media = resp.content[ctype];
  if (!media.schema) {
    out[i] = 'ok';
    return;
  }
  let js;
  try {
    js = absolutise(conv(media.schema));
    delete js.$schema;
  } catch (err) {
    out[i] = 'compile: ' + err.message;
    return;
  }
  let v;
  try {
    v = ajv.compile(js);
  } catch (err) {
    out[i] = 'compile: ' + err.message.slice(0, 200);
    return;
  }
  const ok = v(JSON.parse(e.response.content.text));
  out[i] = ok ? 'ok' : (v.errors[0].instancePath + ' ' + v.errors[0].message);
});
fs.writeFileSync(process.argv[3] + '.ajv.json', JSON.stringify(out));
