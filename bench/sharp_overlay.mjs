// The seed's way of doing the overlay step, for comparison: sharp decodes the model PNG,
// resizes it to the square format, composites an SVG (scrim, brand, name, price, old
// price, badge) and encodes JPEG. Usage: node bench/sharp_overlay.mjs DIR ROUNDS
// Prints one JSON line: {"overlay_ms": [...], "floor_ms": [...]}.
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";

const [dir, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg || 1);
sharp.concurrency(1); // one libvips thread, like one Pillow call
sharp.cache(false);

const esc = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
const product = JSON.parse(fs.readFileSync(path.join(dir, "product.json"), "utf8"));
const svg = (p) => Buffer.from(`<svg width="1080" height="1080" xmlns="http://www.w3.org/2000/svg">
<defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
<stop offset="0" stop-color="#000" stop-opacity="0"/><stop offset="0.45" stop-color="#000" stop-opacity="0.55"/>
<stop offset="1" stop-color="#000" stop-opacity="0.55"/></linearGradient></defs>
<rect x="0" y="560" width="1080" height="520" fill="url(#g)"/>
<text x="60" y="742" font-family="Noto Sans, DejaVu Sans" font-size="30" fill="#fff">${esc(p.brand)}</text>
<text x="60" y="820" font-family="Noto Sans, DejaVu Sans" font-weight="bold" font-size="64" fill="#fff">${esc(p.line1)}</text>
<text x="60" y="894" font-family="Noto Sans, DejaVu Sans" font-weight="bold" font-size="64" fill="#fff">${esc(p.line2)}</text>
<text x="60" y="1000" font-family="Noto Sans, DejaVu Sans" font-weight="bold" font-size="88" fill="#fff">${esc(p.price)}</text>
<text x="470" y="1000" font-family="Noto Sans, DejaVu Sans" font-size="40" fill="#fff" text-decoration="line-through">${esc(p.was)}</text>
<circle cx="915" cy="165" r="105" fill="#c81e2d"/>
<text x="915" y="190" text-anchor="middle" font-family="Noto Sans, DejaVu Sans" font-weight="bold" font-size="63" fill="#fff">${esc(p.offer)}</text>
</svg>`);

const files = fs.readdirSync(dir).filter((f) => f.endsWith(".png")).sort()
  .map((f) => fs.readFileSync(path.join(dir, f)));
const now = () => Number(process.hrtime.bigint()) / 1e6;
const overlay = [], floor = [];
// Warm-up: font discovery and first-use initialisation are not per-image costs.
await sharp(files[0]).resize(1080, 1080).composite([{ input: svg(product) }]).jpeg({ quality: 88 }).toBuffer();
for (let r = 0; r < rounds; r++) {
  for (const data of files) {
    let t = now();
    await sharp(data).jpeg({ quality: 88 }).toBuffer();
    floor.push(now() - t);
    t = now();
    // The SVG is built per image: in the seed the text differs per job.
    await sharp(data).resize(1080, 1080).composite([{ input: svg(product) }]).jpeg({ quality: 88 }).toBuffer();
    overlay.push(now() - t);
  }
}
console.log(JSON.stringify({ overlay_ms: overlay, floor_ms: floor }));
