// Holds expire: on a server whose holds last 6 seconds, a held seat shows as taken to others,
// then comes back on sale by itself.
import { expect, test } from "@playwright/test";
import { expectSeatState, hydrated, seatedBookingLink } from "./helpers";

const shortHold = process.env.SHORT_HOLD_URL ?? "http://127.0.0.1:3001";

test("an expired hold frees its seats for everyone", async ({ browser }) => {
  const buyer = await (await browser.newContext({ baseURL: shortHold })).newPage();
  await buyer.goto("/?kind=cinema");
  const href = await seatedBookingLink(buyer).getAttribute("href");
  await buyer.goto(href!);
  await hydrated(buyer);
  const seat = buyer.locator("[data-seat-id].free").nth(20);
  const id = (await seat.getAttribute("data-seat-id"))!;
  await seat.click();
  await buyer.locator("#reserve-button").click();
  await expect(buyer.locator("p.countdown[role=timer]")).toBeVisible();

  const other = await (await browser.newContext({ baseURL: shortHold })).newPage();
  await other.goto(href!);
  await expectSeatState(other, id, /\bheld\b/);

  await expect(buyer.getByRole("alert").filter({ hasText: "Délai dépassé" })).toBeVisible({ timeout: 20_000 });
  // The other buyer's map follows without a reload.
  await expectSeatState(other, id, /\bfree\b/);
});
