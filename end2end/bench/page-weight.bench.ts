// What a phone on a slow network pays to open Guichet (issue 12): for the home page and a
// performance page with its seat map, in a cold browser, on "slow 4G" (150 ms RTT, 1.6 Mbit/s
// down, 750 kbit/s up) with the CPU slowed 4×: the bytes transferred (compressed, as on the
// wire), when the first content is painted, and when the page is interactive (hydrated:
// `html[data-hydrated]`). Targets: ≤ 400 KB cold, interactive ≤ 5 s. Run by
// scripts/bench-pageweight.sh, which prints the figures. PAGE_IDENTITY=1 asks for everything
// uncompressed (Accept-Encoding: identity): the same server as before compression, for a
// before/after in one sitting.
import { test } from "@playwright/test";

const RUNS = Number(process.env.PAGE_RUNS ?? 3);
const SLOW_4G = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
};

type Figures = { bytes: number; requests: number; fcp: number; interactive: number };

async function measure(browser: import("@playwright/test").Browser, url: string): Promise<Figures> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", SLOW_4G);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  if (process.env.PAGE_IDENTITY === "1") {
    await cdp.send("Network.setExtraHTTPHeaders", { headers: { "Accept-Encoding": "identity" } });
  }
  let bytes = 0;
  let requests = 0;
  cdp.on("Network.loadingFinished", (e: { encodedDataLength: number }) => {
    bytes += e.encodedDataLength;
    requests += 1;
  });
  await page.goto(url, { waitUntil: "commit" });
  await page.waitForSelector("html[data-hydrated]", { timeout: 120_000 });
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    const fcp = performance.getEntriesByName("first-contentful-paint")[0];
    return { start: nav.startTime, fcp: fcp ? fcp.startTime : NaN, now: performance.now() };
  });
  // Whatever was still loading (images below the fold) counts too.
  await page.waitForLoadState("networkidle");
  await context.close();
  return { bytes, requests, fcp: timing.fcp, interactive: timing.now - timing.start };
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

test("page weight and time to interactive on slow 4G with a 4× slower CPU", async ({ browser, request }) => {
  console.log(process.env.PAGE_IDENTITY === "1" ? "uncompressed (Accept-Encoding: identity)" : "as the browser asks (br, gzip)");
  const base = process.env.BASE_URL!;
  const pages: [string, string][] = [
    ["home page", `${base}/`],
    [`performance page (${process.env.BENCH_SEATS ?? "?"} seats)`, `${base}/seances/${process.env.BENCH_PERFORMANCE_ID}`],
  ];
  // The seat map's share of the page: its server-rendered HTML per seat (target ≤ 120 bytes).
  const seats = Number(process.env.BENCH_SEATS ?? 0);
  if (seats > 0) {
    const html = await (await request.get(pages[1][1], { headers: { "accept-encoding": "identity" } })).text();
    console.log(`performance page HTML: ${(html.length / 1024).toFixed(0)} KB, ${(html.length / seats).toFixed(0)} bytes per seat`);
  }
  for (const [label, url] of pages) {
    const runs: Figures[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await measure(browser, url));
    const kb = median(runs.map((r) => r.bytes)) / 1024;
    console.log(
      `${label.padEnd(34)} ${kb.toFixed(0).padStart(6)} KB in ${median(runs.map((r) => r.requests))} requests | ` +
        `first paint ${(median(runs.map((r) => r.fcp)) / 1000).toFixed(2)} s | ` +
        `interactive ${(median(runs.map((r) => r.interactive)) / 1000).toFixed(2)} s (median of ${RUNS})`,
    );
  }
});
