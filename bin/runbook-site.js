#!/usr/bin/env node
// Thin entry: all behaviour is in run(); this only sets the exit status.
import { run } from '../lib/src/cli/run.js';

process.exitCode = await run(process.argv.slice(2));
