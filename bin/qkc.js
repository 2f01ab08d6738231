#!/usr/bin/env node
// The `qkc` command: runs the compiled CLI (npm install / npm ci builds dist/ through `prepare`).
const path = require('path');
const fs = require('fs');
const entry = path.join(__dirname, '..', 'dist', 'cli', 'index.js');
if (!fs.existsSync(entry)) {
  console.error("qkc: error: dist/ is not built; run 'npm install' (or 'npm run build') in the qkc folder first");
  process.exit(1);
}
require(entry).main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
