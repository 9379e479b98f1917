// Leaves a Chromium profile in which `origin` remembers `lang` as the reader's language, the
// way the page's switch does (localStorage `motcua.lang`), so Lighthouse can measure the English
// pages with `--disable-storage-reset`. It visits the health route, not a page: no app code,
// service worker or cache is left behind to warm the measured load.
// Usage: node choose-language.mjs <origin> <lang> <profile dir>
import puppeteer from "puppeteer-core";

const [origin, lang, profile] = process.argv.slice(2);
const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  userDataDir: profile,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
});
const page = await browser.newPage();
await page.goto(`${origin}/api/health`);
await page.evaluate((l) => localStorage.setItem("motcua.lang", l), lang);
const stored = await page.evaluate(() => localStorage.getItem("motcua.lang"));
await browser.close();
if (stored !== lang) {
  console.error(`the profile did not keep motcua.lang=${lang}`);
  process.exit(1);
}
