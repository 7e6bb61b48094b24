// The door staff's phone scanner (/scan): pairing link, camera (Chromium's fake camera playing a
// ticket's QR), hardware-scanner input, offline admissions with later sync, search by name.
import { chromium, expect, Page, test } from "@playwright/test";
import { buyTickets, doorToken, openPerformance, qrSvgUrl, qrVideo } from "./door-helpers";

const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
];

const unique = () => Math.random().toString(36).slice(2, 8);

/** Opens the pairing link and waits until the performance is chosen (auto: one performance). */
async function openScanner(page: Page, token: string) {
  await page.goto(`/scan#token=${token}`);
  await expect(page.locator("#scan-input")).toBeVisible({ timeout: 15_000 });
  // The token left the address bar.
  expect(page.url()).not.toContain("token=");
}

/** Types a code (or a ticket number) and Enter, as a hardware scanner does. */
async function typeCode(page: Page, code: string) {
  const input = page.locator("#scan-input");
  await input.fill(code);
  await input.press("Enter");
}

/** Waits until the scanner resumes after a result (the same code is refused while it holds). */
async function resumed(page: Page) {
  await expect(page.locator("#scan-result")).toHaveAttribute("data-paused", "false", { timeout: 6_000 });
}

test("the order page shows each ticket's QR code for phones", async ({ page, request }) => {
  const perf = await openPerformance(request);
  const order = await buyTickets(request, perf, `Quentin Qr ${unique()}`);
  const ticket = order.tickets[0];
  await page.goto(`/commandes/${order.id}?token=${encodeURIComponent(order.token)}`);
  const qr = page.locator("img.ticket-qr");
  await expect(qr).toHaveCount(1);
  await expect(qr).toHaveAttribute("alt", `QR code du billet ${ticket.number}`);
  await expect(qr).toHaveAttribute("src", qrSvgUrl(order, ticket));
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
});

test("the camera reads a ticket's QR code: green, then amber when shown again", async ({ request, baseURL }) => {
  const perf = await openPerformance(request);
  const order = await buyTickets(request, perf, `Camille Camera ${unique()}`);
  const ticket = order.tickets[0];
  const token = doorToken(perf);

  // The QR as the spectator's phone shows it, filmed by Chromium's fake camera.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: chromiumArgs,
  });
  const video = await qrVideo(browser, request, order, ticket);
  await browser.close();

  const camBrowser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      ...chromiumArgs,
      "--use-fake-ui-for-media-stream",
      "--use-fake-device-for-media-stream",
      `--use-file-for-fake-video-capture=${video}`,
    ],
  });
  try {
    const ctx = await camBrowser.newContext({
      baseURL,
      locale: "fr-FR",
      timezoneId: "Europe/Paris",
      permissions: ["camera"],
    });
    const page = await ctx.newPage();
    await openScanner(page, token);
    const result = page.locator("#scan-result");
    await expect(result).toHaveAttribute("data-status", "valid", { timeout: 20_000 });
    await expect(result).toHaveClass(/result-valid/);
    await expect(result).toContainText("Entrée validée");
    await expect(result).toContainText(ticket.number);
    await expect(result).not.toHaveClass(/result-offline/);
    await expect(page.locator("#checkin-counters")).toContainText(/Entrés : [1-9]\d* \//);
    // The ticket stays in front of the camera: once the pause is over, it is read again.
    await expect(result).toHaveAttribute("data-status", "already_used", { timeout: 20_000 });
    await expect(result).toHaveClass(/result-already_used/);
    await expect(result).toContainText(/déjà entré à \d\dh\d\d/i);
    await ctx.close();
  } finally {
    await camBrowser.close();
  }
});

test("hardware scanner: code + Enter, twice, garbage, a typed ticket number, supervisor undo", async ({
  page,
  request,
}) => {
  const perf = await openPerformance(request);
  const order = await buyTickets(request, perf, `Hugo Lecteur ${unique()}`, 2);
  const [first, second] = order.tickets;
  const token = doorToken(perf, true);
  await openScanner(page, token);
  const result = page.locator("#scan-result");

  await typeCode(page, first.code);
  await expect(result).toHaveAttribute("data-status", "valid");
  await expect(result).toHaveClass(/result-valid/);
  await expect(result).toContainText(first.number);
  await expect(result).toContainText(order.reference);
  await expect(page.locator("#undo-button")).toBeVisible();

  await resumed(page);
  await typeCode(page, first.code);
  await expect(result).toHaveAttribute("data-status", "already_used");
  await expect(result).toHaveClass(/result-already_used/);
  await expect(result).toContainText(/Déjà entré à \d\dh\d\d/);

  await resumed(page);
  await typeCode(page, "GARBAGE-CODE");
  await expect(result).toHaveAttribute("data-status", "invalid");
  await expect(result).toHaveClass(/result-invalid/);

  await resumed(page);
  await typeCode(page, second.number);
  await expect(result).toHaveAttribute("data-status", "valid");
  await expect(result).toContainText(second.number);

  // A supervisor undoes it; the ticket can then be admitted again.
  await page.locator("#undo-button").click();
  await expect(page.getByText("Entrée annulée")).toBeVisible();
  await expect(result).toHaveCount(0);
  await typeCode(page, second.number);
  await expect(result).toHaveAttribute("data-status", "valid");
});

test("offline: admits with the downloaded list, refuses a second entry, syncs when back", async ({
  page,
  request,
}) => {
  const perf = await openPerformance(request);
  const order = await buyTickets(request, perf, `Odile Horsligne ${unique()}`);
  const ticket = order.tickets[0];
  const token = doorToken(perf);
  const checkin = async () => {
    const res = await request.get(`/api/v1/performances/${perf}/checkin`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(res.status()).toBe(200);
    return (await res.json()).admitted as number;
  };
  const before = await checkin();

  await openScanner(page, token);
  await expect(page.locator("#offline-status")).toHaveAttribute("data-ready", "true");

  await page.route("**/sf/**", (route) => route.abort());
  const result = page.locator("#scan-result");
  await typeCode(page, ticket.code);
  await expect(result).toHaveAttribute("data-status", "valid");
  await expect(result).toHaveClass(/result-offline/);
  await expect(page.locator("#offline-banner")).toBeVisible();
  await expect(page.locator("#sync-pending")).toContainText("1 entrée en attente de synchronisation");

  await resumed(page);
  await typeCode(page, ticket.code);
  await expect(result).toHaveAttribute("data-status", "already_used");
  await expect(result).toHaveClass(/result-offline/);
  await expect(page.locator("#sync-pending")).toContainText("1 entrée");
  expect(await checkin()).toBe(before);

  // The queue survives a reload (localStorage).
  expect(await page.evaluate(() => JSON.parse(localStorage.getItem("guichet.door.queue")!).length)).toBe(1);

  await page.unroute("**/sf/**");
  await expect(page.locator("#sync-pending")).toHaveCount(0, { timeout: 15_000 });
  await expect(page.locator("#offline-banner")).toHaveCount(0, { timeout: 15_000 });
  expect(await checkin()).toBe(before + 1);

  // Back online, the server has the admission.
  await resumed(page);
  await typeCode(page, ticket.code);
  await expect(result).toHaveAttribute("data-status", "already_used");
  await expect(result).not.toHaveClass(/result-offline/);
});

test("search by the buyer's name and let the ticket in", async ({ page, request }) => {
  const perf = await openPerformance(request);
  const surname = `Rechercheuse${unique()}`;
  const order = await buyTickets(request, perf, `Simone ${surname}`);
  const ticket = order.tickets[0];
  const token = doorToken(perf);
  await openScanner(page, token);

  await page.locator("#tab-search").click();
  await page.locator("#search-input").fill(surname);
  await page.locator("#search-input").press("Enter");
  const item = page.locator(`li.attendee[data-ticket-number="${ticket.number}"]`);
  await expect(item).toBeVisible();
  await expect(item).toContainText(`Simone ${surname}`);
  await expect(item).toContainText("pas encore entré");
  await item.getByRole("button", { name: "Faire entrer" }).click();
  const result = page.locator("#scan-result");
  await expect(result).toHaveAttribute("data-status", "valid");
  await expect(result).toContainText(ticket.number);
  // The list shows the new state.
  await expect(item).toContainText(/Déjà entré à \d\dh\d\d/);
  await expect(item.getByRole("button", { name: "Faire entrer" })).toHaveCount(0);
});
