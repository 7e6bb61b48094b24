import { expect, Page } from "@playwright/test";

/** Waits until the wasm bundle has hydrated the page (its fetches are done). */
export async function hydrated(page: Page) {
  await page.waitForLoadState("networkidle");
}

/** Presses Tab until a seat of the map has the focus; returns its id. */
export async function tabIntoSeatMap(page: Page): Promise<string> {
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press("Tab");
    const id = await page.evaluate(() => document.activeElement?.getAttribute("data-seat-id") ?? null);
    if (id) return id;
  }
  throw new Error("the seat map never received the keyboard focus");
}

export async function focusedSeat(page: Page): Promise<{ id: string; label: string; cls: string }> {
  return page.evaluate(() => {
    const el = document.activeElement!;
    return {
      id: el.getAttribute("data-seat-id") ?? "",
      label: el.getAttribute("aria-label") ?? "",
      cls: el.getAttribute("class") ?? "",
    };
  });
}

/** Moves with the arrow keys until the focused seat is free (not held, sold or blocked). */
export async function arrowToFreeSeat(page: Page, key = "ArrowRight") {
  for (let i = 0; i < 40; i++) {
    const seat = await focusedSeat(page);
    if (/\bfree\b/.test(seat.cls)) return seat;
    await page.keyboard.press(key);
  }
  throw new Error("no free seat reachable with the arrow keys");
}

export async function seatClass(page: Page, id: string) {
  return page.locator(`[data-seat-id="${id}"]`).getAttribute("class");
}

export async function expectSeatState(page: Page, id: string, state: RegExp) {
  await expect(page.locator(`[data-seat-id="${id}"]`)).toHaveClass(state, { timeout: 15_000 });
}

/** The booking link of the first programme card with numbered seats (not "placement libre"):
 *  which screening comes first depends on the time of day. */
export function seatedBookingLink(page: Page) {
  return page
    .locator("article.perf-card")
    .filter({ hasNotText: /Placement libre|Unreserved seating/ })
    .locator('a.button[href^="/seances/"]')
    .first();
}
