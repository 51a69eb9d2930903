import { parseStatement, parseExpression, formatExpression, parseScript } from '/work/wt/parser/engine/sql/index.js';
const strip = (o: any): any => JSON.parse(JSON.stringify(o, (k, v) => (k === 'span' ? undefined : v)));
for (const s of process.argv.slice(2)) {
  try {
    if (s.startsWith('E:')) { const e = parseExpression(s.slice(2)); console.log(formatExpression(e), JSON.stringify(strip(e))); }
    else if (s.startsWith('S:')) console.log(JSON.stringify(strip(parseScript(s.slice(2)))));
    else console.log(JSON.stringify(strip(parseStatement(s))));
  } catch (e: any) { console.log('ERR', e.constructor.name, JSON.stringify(e.message)); }
}
