#!/usr/bin/env node
import { runCli } from '../lib/deploy';

runCli(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
  process.stderr.write(`cdk8s-msa: ${e instanceof Error ? e.stack : e}\n`);
  process.exitCode = 1;
});
