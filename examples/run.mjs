#!/usr/bin/env node
// Sends a SQL file to a Sluice (or ksqlDB) server's /ksql endpoint and prints the response.
import { readFileSync } from 'node:fs';

const [file, server = 'http://localhost:8088'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node examples/run.mjs FILE.sql [SERVER_URL]');
  process.exit(2);
}
const ksql = readFileSync(file, 'utf8');
const res = await fetch(`${server}/ksql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ksql }) });
console.log(res.status, JSON.stringify(await res.json(), null, 2));
process.exitCode = res.ok ? 0 : 1;
