#!/usr/bin/env node
// The CLI is compiled to dist/ by `npm run build`, which `npm ci` runs through the prepare script.
import '../dist/adapters/cli/main.js';
