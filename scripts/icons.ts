/**
 * `npx tsx scripts/icons.ts`: the raster icons in public/ from public/icon.svg — favicon.ico (16, 32 and 48 px
 * PNGs in one ICO), apple-touch-icon.png (180 px) and the manifest's icon-192.png and icon-512.png. Run it after
 * changing the SVG and commit what it writes; sharp (installed with Next.js) rasterises offline.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";

const pub = path.resolve(import.meta.dirname, "..", "public");
const svg = readFileSync(path.join(pub, "icon.svg"));

function png(size: number): Promise<Buffer> {
  return sharp(svg, { density: Math.ceil((72 * size) / 32) })
    .resize(size, size)
    .png()
    .toBuffer();
}

/** An ICO file holding PNG images (allowed since Windows Vista, read by every browser). */
function ico(images: { size: number; data: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, data }) => {
    const e = Buffer.alloc(16);
    e.writeUInt8(size >= 256 ? 0 : size, 0);
    e.writeUInt8(size >= 256 ? 0 : size, 1);
    e.writeUInt8(0, 2);
    e.writeUInt8(0, 3);
    e.writeUInt16LE(1, 4);
    e.writeUInt16LE(32, 6);
    e.writeUInt32LE(data.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += data.length;
    return e;
  });
  return Buffer.concat([header, ...entries, ...images.map((i) => i.data)]);
}

const sizes = [16, 32, 48];
writeFileSync(path.join(pub, "favicon.ico"), ico(await Promise.all(sizes.map(async (size) => ({ size, data: await png(size) })))));
writeFileSync(path.join(pub, "apple-touch-icon.png"), await png(180));
writeFileSync(path.join(pub, "icon-192.png"), await png(192));
writeFileSync(path.join(pub, "icon-512.png"), await png(512));
process.stdout.write(`wrote favicon.ico, apple-touch-icon.png, icon-192.png, icon-512.png in ${pub}\n`);
