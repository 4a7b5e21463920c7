// A dependency-free stand-in for NoETL's Vite build: it reads src/, bakes
// VITE_API_BASE_URL into the bundle, and writes dist/ with hashed asset names.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const apiBase = process.env.VITE_API_BASE_URL ?? "http://localhost:8082/api";
const srcDir = fileURLToPath(new URL("./src/", import.meta.url));
const distDir = fileURLToPath(new URL("./dist/", import.meta.url));

rmSync(distDir, { recursive: true, force: true });
mkdirSync(join(distDir, "assets"), { recursive: true });

const scripts = readdirSync(srcDir).filter((name) => name.endsWith(".js")).sort();
const bundle = scripts
  .map((name) => readFileSync(join(srcDir, name), "utf8"))
  .join("\n")
  .replaceAll("__API_BASE_URL__", JSON.stringify(apiBase));
const hash = createHash("sha256").update(bundle).digest("hex").slice(0, 8);
const bundleName = `index-${hash}.js`;
writeFileSync(join(distDir, "assets", bundleName), bundle);

const html = readFileSync(join(srcDir, "index.html"), "utf8").replace("__BUNDLE__", `/assets/${bundleName}`);
writeFileSync(join(distDir, "index.html"), html);
console.log(`built dist/index.html and dist/assets/${bundleName} (api ${apiBase})`);
