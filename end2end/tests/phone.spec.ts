// The spectator on a 360×740 touch phone (issue 12): the whole hall on opening, zoom and pan,
// seats a fingertip apart when zoomed, the basket bar in view with its total, categories told
// apart by texture as well as colour, and an unreserved-seating purchase by tariff counters.
import { expect, test, type Page } from "@playwright/test";
import { hydrated, seatedBookingLink } from "./helpers";

test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });

/** The map box and the drawn map, in CSS px. */
async function mapGeometry(page: Page) {
  return page.evaluate(() => {
    const box = document.querySelector(".seatmap-scroll") as HTMLElement;
    const svg = document.querySelector("svg.seatmap") as SVGSVGElement;
    const seats = (document.querySelector("g.seats") as SVGGElement).getBoundingClientRect();
    const b = box.getBoundingClientRect();
    return {
      boxLeft: b.left,
      boxRight: b.right,
      boxWidth: box.clientWidth,
      svgWidth: svg.getBoundingClientRect().width,
      seatsLeft: seats.left,
      seatsRight: seats.right,
      scrollLeft: box.scrollLeft,
    };
  });
}

/** Centre-to-centre distance of two neighbouring seats of one row, in CSS px. */
async function seatPitch(page: Page) {
  return page.evaluate(() => {
    const seats = Array.from(document.querySelectorAll("g.seats > circle")) as SVGCircleElement[];
    const a = seats[0].getBoundingClientRect();
    let best = Infinity;
    for (const s of seats.slice(1, 60)) {
      const r = s.getBoundingClientRect();
      if (Math.abs(r.top - a.top) < 1) best = Math.min(best, Math.abs(r.left - a.left));
    }
    return best;
  });
}

test("the seat map fits the hand: whole hall, zoom, pan, basket in view", async ({ page }) => {
  await page.goto("/?kind=theatre");
  const href = (await seatedBookingLink(page).getAttribute("href"))!;
  await page.goto(href);
  await hydrated(page);
  await expect(page.locator("[data-seat-id]").first()).toBeAttached();

  // The whole hall on opening: every seat inside the box, nothing to scroll sideways.
  const fit = await mapGeometry(page);
  expect(fit.svgWidth).toBeLessThanOrEqual(fit.boxWidth + 1);
  expect(fit.seatsLeft).toBeGreaterThanOrEqual(fit.boxLeft);
  expect(fit.seatsRight).toBeLessThanOrEqual(fit.boxRight);
  // Row names on both sides of the rows.
  const rowA = page.locator(".row-labels text", { hasText: /^A$/ });
  expect(await rowA.count()).toBeGreaterThanOrEqual(2);

  // Categories differ by texture too: category 2's swatch and seats are striped, not plain.
  const fills = await page.evaluate(() => {
    const seat2 = document.querySelector("g.seats > .cat2.free") as Element;
    const swatch2 = document.querySelector(".legend .cat2") as Element;
    return [getComputedStyle(seat2).fill, getComputedStyle(swatch2).fill];
  });
  for (const fill of fills) expect(fill).toContain("#cat-2");

  // "+" up to the largest zoom: seats at least 44 px apart, the map wider than its box.
  const zoomIn = page.getByRole("button", { name: "Agrandir le plan" });
  for (let i = 0; i < 8 && (await zoomIn.isEnabled()); i++) await zoomIn.click();
  await expect(zoomIn).toBeDisabled();
  expect(await seatPitch(page)).toBeGreaterThanOrEqual(43.5);
  const zoomed = await mapGeometry(page);
  expect(zoomed.svgWidth).toBeGreaterThan(zoomed.boxWidth * 2);

  // Panned with a finger (the box scrolls), back out with "−".
  await page.locator(".seatmap-scroll").evaluate((el) => el.scrollBy(120, 0));
  expect((await mapGeometry(page)).scrollLeft).toBeGreaterThan(zoomed.scrollLeft);
  const zoomOut = page.getByRole("button", { name: "Réduire le plan" });
  for (let i = 0; i < 8 && (await zoomOut.isEnabled()); i++) await zoomOut.click();
  expect((await mapGeometry(page)).svgWidth).toBeLessThanOrEqual(fit.boxWidth + 1);

  // Two fingers spreading zoom in.
  const box = (await page.locator(".seatmap-scroll").boundingBox())!;
  const cdp = await page.context().newCDPSession(page);
  const [cx, cy] = [box.x + box.width / 2, box.y + Math.min(box.height / 2, 150)];
  const touch = (type: string, spread: number) =>
    cdp.send("Input.dispatchTouchEvent", {
      type,
      touchPoints: type === "touchEnd" ? [] : [
        { x: cx - spread, y: cy, id: 1 },
        { x: cx + spread, y: cy, id: 2 },
      ],
    });
  await touch("touchStart", 20);
  for (const spread of [30, 45, 60, 80]) await touch("touchMove", spread);
  await touch("touchEnd", 0);
  await expect.poll(async () => (await mapGeometry(page)).svgWidth).toBeGreaterThan(fit.boxWidth * 2);

  // Two seats tapped: the basket bar is on screen with the count and the total.
  // (Each seat centred first: the sticky bar covers the bottom of the screen.)
  const free = page.locator("[data-seat-id].free");
  for (const i of [0, 1]) {
    await free.nth(i).evaluate((el) => el.scrollIntoView({ block: "center", inline: "center" }));
    await free.nth(i).tap();
  }
  await expect(page.locator('[data-seat-id][aria-checked="true"]')).toHaveCount(2);
  await page.evaluate(() => window.scrollTo(0, 0));
  const bar = page.locator(".basket-bar");
  await expect(bar).toContainText("2 places");
  await expect(bar).toContainText(/Total\s:\s\d+/);
  await expect(bar.locator("li")).toContainText([/2\s× .+ \d+/]);
  await expect(bar).toBeInViewport();
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight / 3));
  await expect(bar).toBeInViewport();

  // Held: the countdown joins the bar; choosing the reduced tariff changes the recap and total.
  await bar.locator("#reserve-button").tap();
  await expect(bar.locator("p.countdown[role=timer]")).toBeVisible();
  const before = Number(await bar.locator("[data-total-cents]").getAttribute("data-total-cents"));
  const options = await page.locator("#tariff-1 option").allTextContents();
  await page.locator("#tariff-1").selectOption({ index: options.length > 1 ? 1 : 0 });
  if (options.length > 1) {
    await expect(bar.locator("li")).toHaveCount(2);
    await expect
      .poll(async () => Number(await bar.locator("[data-total-cents]").getAttribute("data-total-cents")))
      .toBeLessThan(before);
  }
  await bar.locator("#release-button").tap();
  await expect(bar.locator("p.countdown")).toHaveCount(0);
});

test("unreserved seating is bought by tariff counters", async ({ page }) => {
  await page.goto("/");
  const card = page.locator("article.perf-card").filter({ hasText: /Placement libre/ }).first();
  const href = (await card.locator('a.button[href^="/seances/"]').getAttribute("href"))!;
  await page.goto(href);
  await hydrated(page);

  // Every tariff with its price before anything is chosen; nothing counted yet.
  const rows = page.locator(".counter-row");
  expect(await rows.count()).toBeGreaterThanOrEqual(2);
  await expect(rows.first()).toContainText(/\d+(,\d\d)?\s€/);
  const bar = page.locator(".basket-bar");
  await expect(bar).toContainText("Aucune place");

  // Two at the first tariff, one at the second: the bar recaps them line by line.
  const more = (i: number) => rows.nth(i).locator(".counter-more");
  await more(0).tap();
  await more(0).tap();
  await more(1).tap();
  await expect(rows.nth(0).locator("output")).toHaveText("2");
  await expect(bar).toContainText("3 places");
  await expect(bar.locator("li")).toHaveCount(2);
  await expect(bar.locator("li").first()).toContainText(/^2\s×/);
  const total = Number(await bar.locator("[data-total-cents]").getAttribute("data-total-cents"));
  expect(total).toBeGreaterThan(0);

  // Held and priced as counted: no "Place 1/2/3", the tickets' tariffs already chosen.
  await bar.locator("#reserve-button").tap();
  await expect(bar.locator("p.countdown[role=timer]")).toBeVisible();
  await expect(page.locator(".field-tariff label").first()).toHaveText("Billet 1");
  const second = await rows.nth(1).getAttribute("data-tariff");
  await expect(page.locator("#tariff-2")).toHaveValue(second!);
  await expect(page.locator(".checkout-form [data-total-cents]")).toHaveAttribute("data-total-cents", String(total));
  await page.locator("#buyer-name").fill("Jean Moulin");
  await page.locator("#buyer-email").fill("jean.moulin@exemple.fr");
  await page.getByRole("button", { name: "Valider et payer" }).tap();
  await page.locator("#pay-approve").tap();
  await expect(page.locator(".order-status.status-paid")).toBeVisible();
  await expect(page.locator("li.ticket")).toHaveCount(3);
});
