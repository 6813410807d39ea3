/**
 * The last step of `npm run build`: records which sources the build was made from, so that `npm run web`
 * (and `npm start`) serve it as it is instead of building again at start — in production a service
 * restart must never turn into a build.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { sourceFingerprint, stampFile } from "../lib/build-stamp";

const root = path.resolve(import.meta.dirname, "..");
// next.config.mjs decides where `next build` wrote; ask it rather than repeat its rule. (A computed
// specifier: the config is plain JavaScript without types.)
const configPath: string = path.join(root, "next.config.mjs");
const { default: config } = (await import(configPath)) as { default: { distDir?: string } };
const distDir = config.distDir ?? ".next";
writeFileSync(stampFile(root, distDir), sourceFingerprint(root));
process.stderr.write(`build stamped: ${path.join(distDir, "deckhand-build-stamp")}\n`);
