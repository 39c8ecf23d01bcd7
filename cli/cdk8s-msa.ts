#!/usr/bin/env node
import { runCli } from './main';

const io = {
  out: (line: string) => process.stdout.write(`${line}\n`),
  err: (line: string) => process.stderr.write(`${line}\n`),
};
runCli(process.argv.slice(2), io, process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`cdk8s-msa: ${e instanceof Error ? e.stack : e}\n`);
    process.exitCode = 1;
  },
);
