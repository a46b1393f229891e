#!/usr/bin/env node
// scripts/node-wasi.cjs: runs a WASI command (.wasm) under Node's WASI
// (preview 1), as the reference the native executables are compared with.
//   usage: node --no-warnings scripts/node-wasi.cjs [--dir=HOST::GUEST]... [--env=K=V]...
//                                                   PROG.wasm [ARG...]
// --dir preopens HOST (relative to the working directory) under the name GUEST
// (GUEST defaults to HOST); --env adds one variable, and the program sees only
// these. argv[0] is PROG.wasm as given. stdin, stdout and stderr are inherited.
// Exit status: the program's exit code; 134 (as wrt_wasi_main) when it traps;
// 2 on a usage error. Options are only recognised before PROG.wasm.
"use strict";
const { WASI } = require("wasi");
const fs = require("fs");

function usage(msg) {
  process.stderr.write(`node-wasi: ${msg}\n` +
    "usage: node --no-warnings scripts/node-wasi.cjs [--dir=HOST::GUEST]... [--env=K=V]... PROG.wasm [ARG...]\n");
  process.exit(2);
}

const preopens = {};
const env = {};
let i = 2;
for (; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a.startsWith("--dir=")) {
    const spec = a.slice(6);
    const sep = spec.indexOf("::");
    const host = sep < 0 ? spec : spec.slice(0, sep);
    const guest = sep < 0 ? spec : spec.slice(sep + 2);
    if (!host || !guest) usage(`bad option ${a}`);
    preopens[guest] = host;
  } else if (a.startsWith("--env=")) {
    const kv = a.slice(6);
    const eq = kv.indexOf("=");
    if (eq <= 0) usage(`bad option ${a}`);
    env[kv.slice(0, eq)] = kv.slice(eq + 1);
  } else if (a === "--") {
    i++;
    break;
  } else if (a.startsWith("--")) {
    usage(`unknown option ${a}`);
  } else {
    break;
  }
}
if (i >= process.argv.length) usage("no program given");
const args = process.argv.slice(i);

const wasi = new WASI({ version: "preview1", args, env, preopens, returnOnExit: true });
let status;
try {
  const mod = new WebAssembly.Module(fs.readFileSync(args[0]));
  // Node 20's fast-API path for WASI calls made straight from Wasm keeps using
  // the memory's old backing store after memory.grow moves it (Node aborts or
  // loses output once a program grows past about 64 MiB). Calling through JS
  // wrappers takes the path that looks the memory up on every call.
  const imports = {};
  for (const [name, fn] of Object.entries(wasi.wasiImport)) imports[name] = (...a) => fn(...a);
  const inst = new WebAssembly.Instance(mod, { wasi_snapshot_preview1: imports });
  status = wasi.start(inst);
} catch (e) {
  if (!(e instanceof WebAssembly.RuntimeError)) throw e;
  process.stderr.write(`node-wasi: trap: ${e.message}\n`);
  status = 134;
}
process.exitCode = status;
