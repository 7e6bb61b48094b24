// How long choosing a seat takes to show, in a 5,000-seat hall: on the spectators' map and in
// the back office's editor. For each of N clicks: from the click to the seat's new class
// (MutationObserver), and to the next frame (requestAnimationFrame after the change). Prints
// p50 / p95 / max in milliseconds. Target (issue 9): within one frame, < 16 ms.
import { expect, Page, test } from "@playwright/test";

const CLICKS = Number(process.env.SEAT_CLICKS ?? 40);

type Timing = { dom: number; frame: number };

/** Clicks the seat matching `selector` and times the change of its class. */
async function timeClick(page: Page, selector: string): Promise<Timing> {
  return page.evaluate(async (sel) => {
    const el = document.querySelector(sel)!;
    const before = el.getAttribute("class");
    return await new Promise<{ dom: number; frame: number }>((resolve) => {
      let dom = 0;
      const t0 = performance.now();
      const obs = new MutationObserver(() => {
        if (el.getAttribute("class") === before) return;
        dom = performance.now() - t0;
        obs.disconnect();
        requestAnimationFrame(() => resolve({ dom, frame: performance.now() - t0 }));
      });
      obs.observe(el, { attributes: true, attributeFilter: ["class"] });
      el.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true }));
    });
  }, selector);
}

function report(label: string, timings: Timing[]) {
  const pct = (v: number[], p: number) => {
    const s = [...v].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
  };
  const dom = timings.map((t) => t.dom);
  const frame = timings.map((t) => t.frame);
  const f = (v: number) => v.toFixed(2).padStart(7);
  console.log(
    `${label.padEnd(40)} click→DOM p50 ${f(pct(dom, 50))} p95 ${f(pct(dom, 95))} max ${f(Math.max(...dom))} ms | ` +
      `click→next frame p50 ${f(pct(frame, 50))} p95 ${f(pct(frame, 95))} ms  (n=${timings.length})`,
  );
}

test("choosing a seat in a 5,000-seat hall", async ({ page }) => {
  const perf = process.env.BENCH_PERFORMANCE_ID!;
  const hall = process.env.BENCH_HALL_ID!;

  // The spectators' map: choose a free seat, then let go of it (an order takes at most 10).
  await page.goto(`/seances/${perf}`);
  await page.waitForLoadState("networkidle");
  await expect(page.locator("[data-seat-id]")).toHaveCount(5000);
  const spectator: Timing[] = [];
  for (let i = 0; i < CLICKS; i++) {
    const sel = `[data-seat-id]:nth-child(${2500 + (i % 20) * 7})`;
    spectator.push(await timeClick(page, sel)); // chosen
    spectator.push(await timeClick(page, sel)); // let go
  }
  report("spectator map, 5,000 seats", spectator);

  // The editor: an admin opens the hall's plan.
  await page.goto("/admin");
  await page.waitForLoadState("networkidle");
  await page.locator("#admin-login-email").fill("admin@guichet.test");
  await page.locator("#admin-login-password").fill("demo-admin-2026");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.locator("#plan-hall").selectOption(hall);
  await page.getByRole("button", { name: "Modifier le plan" }).click();
  await expect(page.locator(".eseats [data-i]")).toHaveCount(5000, { timeout: 60_000 });
  const editor: Timing[] = [];
  for (let i = 0; i < CLICKS; i++) {
    editor.push(await timeClick(page, `.eseats [data-i="${1000 + i * 37}"]`));
  }
  report("editor, 5,000 seats", editor);
});
