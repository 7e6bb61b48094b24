// The box office: an agent logs in at /guichet on a 1280 × 720 screen, picks one of today's
// performances, and sells two walk-in seats paid in cash with change using the keyboard only —
// "2", Enter, the amount handed over, Enter — then prints the tickets. Then the agent finds the
// order by a ticket number, cancels that ticket (the door answers `cancelled`), gives its price
// back in cash, and today's reading of the till shows the sale and the refund.
import { expect, test } from "@playwright/test";
import { hydrated } from "./helpers";

test.use({ viewport: { width: 1280, height: 720 } });

test("an agent sells two walk-in seats in cash with the keyboard", async ({ page, request }) => {
  await page.goto("/guichet");
  await hydrated(page);
  await page.locator("#counter-login-email").fill("guichet@guichet.test");
  await page.locator("#counter-login-password").fill("demo-guichet-2026");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page.locator(".counter-header .staff-whoami")).toContainText("guichet@guichet.test");

  // A numbered-seat performance of today or, late in the evening, of tomorrow (the demo
  // plays every day).
  const seated = page.locator("button.counter-perf:not([disabled])").filter({ hasText: /Grande salle|Salle 1/ });
  if ((await seated.count()) === 0) {
    const tomorrow = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(new Date(Date.now() + 86_400_000));
    await page.locator(".counter-day input[type=date]").fill(tomorrow);
  }
  await seated.first().click();
  await expect(page.locator(".counter-map [data-seat-id]").first()).toBeVisible();
  await expect(page.locator("#counter-count")).toBeFocused();

  // The whole counter fits the screen: the map, the count, the payment and the button.
  for (const el of [page.locator(".counter-map svg.seatmap"), page.locator("#counter-count"), page.getByRole("button", { name: "Encaisser" })]) {
    const box = (await el.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(720);
    expect(box.x + box.width).toBeLessThanOrEqual(1280);
  }

  // Five keystrokes: 2, Enter (the two best seats side by side), 5, 0, Enter (50 € handed).
  await page.keyboard.press("2");
  await page.keyboard.press("Enter");
  await expect(page.locator('.counter-map [data-seat-id][aria-checked="true"]')).toHaveCount(2);
  await expect(page.locator("#counter-tendered-0")).toBeFocused();
  const total = await page.locator(".counter-total").textContent();
  const euros = Number(total!.replace(/[^0-9,]/g, "").replace(",", "."));
  await page.keyboard.press("5");
  await page.keyboard.press("0");
  await page.keyboard.press("Enter");

  await expect(page.locator(".counter-done")).toContainText("Vente enregistrée");
  const change = (50 - euros).toFixed(2).replace(".", ",").replace(/,00$/, "");
  await expect(page.locator(".counter-change-due")).toContainText(change);
  await expect(page.locator(".counter-tickets li")).toHaveCount(2);
  await expect(page.locator("#counter-next")).toBeFocused();

  // The tickets print (A4 here; the ticket printer's roll has its own link).
  const pdfLink = page.getByRole("link", { name: "Billets A4 (PDF)" });
  const pdf = await request.get((await pdfLink.getAttribute("href"))!);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");

  // The next sale starts from the count again; the seats sold are sold on the map.
  const numbers = await page.locator(".counter-tickets li").allTextContents();
  await page.keyboard.press("Enter");
  await expect(page.locator("#counter-count")).toBeFocused();
  await expect(page.locator(".counter-map [data-seat-id].sold").first()).toBeVisible();
  const performanceId = Number(await seated.first().getAttribute("data-performance"));

  // The till before: what today's reading says.
  await page.locator("#counter-tab-till").click();
  const before = await tillFigures(page);

  // The order, found by its first ticket's number; that ticket cancelled with a reason.
  await page.locator("#counter-tab-orders").click();
  await page.locator("#counter-order-query").fill(numbers[0]);
  await page.keyboard.press("Enter");
  const row = page.locator(`.counter-file-tickets tr[data-ticket="${numbers[0]}"]`);
  await expect(row).toBeVisible();
  await row.locator("input[type=checkbox]").check();
  await page.locator("#counter-reason").fill("erreur de séance");
  await page.locator("#counter-cancel").click();
  await expect(page.locator(".counter-file .alert-success")).toContainText(numbers[0]);
  await expect(row.locator(".ticket-status")).toHaveText("annulé");
  await expect(page.locator(`.counter-file-tickets tr[data-ticket="${numbers[1]}"] .ticket-status`)).toHaveText("valide");

  // The walk-in wants the ticket left by e-mail too.
  await page.locator("#counter-resend-to").fill("passant@exemple.fr");
  await page.locator("#counter-resend").click();
  await expect(page.locator(".counter-resent")).toContainText("passant@exemple.fr");

  // The door refuses the cancelled ticket at once.
  const orderId = (await (await page.request.get(`/api/v1/box-office/orders?q=${encodeURIComponent(numbers[0])}`)).json())[0].id;
  const file = await (await page.request.get(`/api/v1/box-office/orders/${orderId}`)).json();
  const cancelled = file.order.tickets.find((t: { number: string }) => t.number === numbers[0]);
  const door = request;
  const login = await door.post("/api/v1/auth/login", { data: { email: "admin@guichet.test", password: "demo-admin-2026" } });
  expect(login.status()).toBe(200);
  const access = await door.post("/api/v1/door/accesses", { data: { performance_ids: [performanceId] } });
  expect(access.status()).toBe(201);
  const token = (await access.json()).token;
  const scan = await door.post("/api/v1/scan", {
    headers: { authorization: `Bearer ${token}` },
    data: { code: cancelled.code, performance_id: performanceId, nonce: `e2e-${Date.now()}`, device: "e2e" },
  });
  expect((await scan.json()).status).toBe("cancelled");

  // Its price back in cash (the amount follows the ticked ticket).
  await expect(row.locator("input[type=checkbox]")).toBeDisabled();
  const price = cancelled.price_cents / 100;
  await page.locator("#counter-refund-amount").fill(price.toFixed(2).replace(".", ","));
  await page.locator("#counter-refund").click();
  await expect(page.locator(".counter-file > .alert-success")).toBeVisible();
  await expect(page.locator("#counter-refundable")).toContainText((euros - price).toFixed(2).replace(".", ","));

  // Today's reading: the sale was in it; now the refund is out and a ticket taken back.
  expect(before.sold).toBeGreaterThanOrEqual(2);
  expect(before.cash).toBeGreaterThanOrEqual(euros);
  await page.locator("#counter-tab-till").click();
  const after = await tillFigures(page);
  expect(after.sold).toBe(before.sold);
  expect(after.back).toBe(before.back + 1);
  expect(after.cash).toBeCloseTo(before.cash - price, 2);

  // The month's report counts today's tickets, and links each performance's statement.
  await page.locator("#counter-tab-reports").click();
  await expect(page.locator("#report-tickets")).not.toHaveText("0");
  await expect(page.locator(".report-chart svg rect").first()).toBeAttached();
  const statement = page.locator(".report-occupancy a", { hasText: "PDF" }).first();
  const pdfStatement = await page.request.get((await statement.getAttribute("href"))!);
  expect(pdfStatement.status()).toBe(200);
  expect(pdfStatement.headers()["content-type"]).toBe("application/pdf");

  // The heat map of a hall over the month, and the month's orders saved as CSV with a
  // progress bar on the way.
  await page.locator(".heat-button").first().click();
  await expect(page.locator(".heat-map circle").first()).toBeAttached();
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#export-orders").click()]);
  expect(download.suggestedFilename()).toMatch(/^commandes-.*\.csv$/);

  // The other ticket of the order exchanged for another seat of the same performance.
  await page.locator("#counter-tab-orders").click();
  await page.locator("#counter-order-query").fill(numbers[1]);
  await page.keyboard.press("Enter");
  const other = page.locator(`.counter-file-tickets tr[data-ticket="${numbers[1]}"]`);
  await expect(other).toBeVisible();
  await other.locator("input[type=checkbox]").check();
  await page.locator("#counter-reason").fill("mieux placé");
  await page.locator("#counter-exchange-method").selectOption("card");
  await page.locator("#counter-exchange").click();
  await expect(page.locator("#counter-exchange-done")).toContainText("Échange fait");
  const oldTicket = file.order.tickets.find((t: { number: string }) => t.number === numbers[1]);
  const rescan = await door.post("/api/v1/scan", {
    headers: { authorization: `Bearer ${token}` },
    data: { code: oldTicket.code, performance_id: performanceId, nonce: `e2e-x-${Date.now()}`, device: "e2e" },
  });
  expect((await rescan.json()).status).toBe("cancelled");
});

test("an agent blocks a seat for one performance and releases it", async ({ page }) => {
  await page.goto("/guichet");
  await hydrated(page);
  await page.locator("#counter-login-email").fill("guichet@guichet.test");
  await page.locator("#counter-login-password").fill("demo-guichet-2026");
  await page.getByRole("button", { name: "Se connecter" }).click();
  const seated = page.locator("button.counter-perf:not([disabled])").filter({ hasText: /Grande salle|Salle 1/ });
  if ((await seated.count()) === 0) {
    const tomorrow = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(new Date(Date.now() + 86_400_000));
    await page.locator(".counter-day input[type=date]").fill(tomorrow);
  }
  await seated.first().click();
  const free = page.locator(".counter-map [data-seat-id]:not(.sold):not(.held):not(.blocked)").first();
  await expect(free).toBeVisible();
  const seatId = await free.getAttribute("data-seat-id");
  await free.click();
  await page.locator(".counter-blocks summary").click();
  await page.locator("#counter-block-reason").selectOption("press");
  await page.locator("#counter-block").click();
  const listed = page.locator(`.counter-blocked li[data-seat="${seatId}"]`);
  await expect(listed).toContainText("presse");
  await expect(page.locator(`.counter-map [data-seat-id="${seatId}"]`)).toHaveClass(/blocked/);
  await listed.getByRole("button", { name: "Libérer" }).click();
  await expect(listed).toHaveCount(0);
  await expect(page.locator(`.counter-map [data-seat-id="${seatId}"]`)).not.toHaveClass(/blocked/);
});

/// Today's X reading as numbers: tickets sold, taken back, and cash.
async function tillFigures(page: import("@playwright/test").Page) {
  const x = page.locator("#counter-x");
  await expect(x).toBeVisible();
  const [sold, back] = (await x.locator(".report-tickets").textContent())!.split("/").map((n) => Number(n.trim()));
  const cashCell = x.locator('tr[data-method="cash"] td');
  const cash = (await cashCell.count()) === 0 ? 0 : Number((await cashCell.textContent())!.replace(/[^0-9,-]/g, "").replace(",", "."));
  return { sold, back, cash };
}
