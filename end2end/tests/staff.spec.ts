// Staff accounts: an admin logs in to the back office and creates a door account; that door
// staff member logs in on a phone-sized /scan page, opens the door for one of today's
// performances, and admits a ticket.
import { expect, test } from "@playwright/test";
import { buyTickets } from "./door-helpers";
import { hydrated } from "./helpers";

const unique = () => Math.random().toString(36).slice(2, 8);

test("an admin creates a door account; its owner logs in on the phone and scans", async ({ browser, request, baseURL }) => {
  // The back office, on a desktop.
  const desk = await browser.newContext({ baseURL, locale: "fr-FR", timezoneId: "Europe/Paris" });
  const admin = await desk.newPage();
  await admin.goto("/admin");
  await hydrated(admin);
  await admin.locator("#admin-login-email").fill("admin@guichet.test");
  await admin.locator("#admin-login-password").fill("pas-le-bon-mot");
  await admin.getByRole("button", { name: "Se connecter" }).click();
  await expect(admin.getByRole("alert")).toContainText("Identifiants incorrects");
  await admin.locator("#admin-login-password").fill("demo-admin-2026");
  await admin.getByRole("button", { name: "Se connecter" }).click();
  await expect(admin.locator(".staff-whoami")).toContainText("admin@guichet.test");
  const table = admin.locator(".team-table");
  await expect(table).toContainText("controle@guichet.test");
  await expect(table).toContainText("guichet@guichet.test");

  const email = `porte.${unique()}@ville.fr`;
  await admin.locator("#new-staff-name").fill("Noa Porte");
  await admin.locator("#new-staff-email").fill(email);
  await admin.locator("#new-staff-role").selectOption("door");
  await admin.getByRole("button", { name: "Créer le compte" }).click();
  const notice = admin.locator(".staff-password");
  await expect(notice).toContainText(email);
  const password = (await notice.textContent())!.split(": ").pop()!.trim();
  expect(password).toHaveLength(16);
  await expect(table).toContainText(email);

  // A token for a script, acting as that account until revoked.
  await admin.locator("#token-staff").selectOption({ label: `Noa Porte <${email}>` });
  await admin.locator("#token-name").fill("Script de test");
  await admin.getByRole("button", { name: "Créer le jeton" }).click();
  const shown = admin.locator(".token-secret");
  await expect(shown).toContainText("gst_");
  const secret = (await shown.textContent())!.split(": ").pop()!.trim();
  const me = await request.get("/api/v1/auth/me", { headers: { Authorization: `Bearer ${secret}` } });
  expect(me.status()).toBe(200);
  expect((await me.json()).staff.email).toBe(email);
  const tokenRow = admin.locator(".tokens-table tr", { hasText: "Script de test" }).filter({ hasText: email });
  await tokenRow.getByRole("button", { name: "Révoquer" }).click();
  await expect(tokenRow).toContainText("Révoqué");
  const after = await request.get("/api/v1/auth/me", { headers: { Authorization: `Bearer ${secret}` } });
  expect(after.status()).toBe(401);
  // The session survives a reload (HttpOnly cookie), and ends at logout.
  await admin.reload();
  await hydrated(admin);
  await expect(admin.locator(".staff-whoami")).toContainText("admin@guichet.test");
  await admin.getByRole("button", { name: "Se déconnecter" }).click();
  await expect(admin.locator("#admin-login-email")).toBeVisible();
  await desk.close();

  // A performance of its own, today in Paris (the door page lists today's): in 20 minutes, or
  // in 2 late in the evening; in the day's last minutes the test waits for the next day.
  // Put on through the admin API; and a ticket for it.
  const login = await request.post("/api/v1/auth/login", {
    data: { email: "admin@guichet.test", password: "demo-admin-2026" },
  });
  expect(login.status()).toBe(200);
  const halls: { id: number; seats: number; categories: string[] }[] = await (
    await request.get("/api/v1/admin/halls")
  ).json();
  const hall = halls.find((h) => h.seats > 0)!;
  const show = await request.post("/api/v1/admin/shows", {
    data: { title: `Séance de contrôle ${unique()}`, kind: "cinema", duration_min: 90 },
  });
  expect(show.status(), await show.text()).toBe(201);
  const parisDay = (d: Date) => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(d);
  const inMinutes = (m: number) => new Date(Math.ceil((Date.now() + m * 60_000) / 60_000) * 60_000);
  let start = inMinutes(20);
  if (parisDay(start) !== parisDay(new Date())) start = inMinutes(2);
  if (parisDay(start) !== parisDay(new Date())) {
    test.setTimeout(360_000);
    await new Promise((r) => setTimeout(r, 3 * 60_000));
    start = inMinutes(20);
  }
  const startsAt = start.toISOString();
  const prices = Object.fromEntries(hall.categories.map((c) => [c, { plein: 800 }]));
  const created = await request.post(`/api/v1/admin/shows/${(await show.json()).id}/performances`, {
    data: { hall_id: hall.id, starts_at: [startsAt], prices, published: true },
  });
  expect(created.status(), await created.text()).toBe(201);
  const perfId: number = (await created.json())[0].id;
  await request.post("/api/v1/auth/logout");
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(new Date(startsAt));
  const list: { id: number }[] = await (await request.get(`/api/v1/performances?date=${today}`)).json();
  const index = list.findIndex((p) => p.id === perfId);
  expect(index).toBeGreaterThanOrEqual(0);
  const order = await buyTickets(request, perfId, `Lou Entree ${unique()}`);

  // The door, on a phone.
  const phone = await browser.newContext({
    baseURL,
    locale: "fr-FR",
    timezoneId: "Europe/Paris",
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const page = await phone.newPage();
  await page.goto("/scan");
  // Before the wasm has hydrated the form, a click would post it the browser's way.
  await hydrated(page);
  await page.locator("#door-login-email").fill(email);
  await page.locator("#door-login-password").fill(password);
  await page.getByRole("button", { name: "Se connecter" }).click();
  const boxes = page.locator(".door-perf-choice input[type=checkbox]");
  await expect(boxes).toHaveCount(list.length);
  for (let i = 0; i < list.length; i++) {
    if (i !== index) await boxes.nth(i).uncheck();
  }
  await page.getByRole("button", { name: "Ouvrir le contrôle" }).click();
  const input = page.locator("#scan-input");
  await expect(input).toBeVisible({ timeout: 15_000 });
  await input.fill(order.tickets[0].code);
  await input.press("Enter");
  await expect(page.locator("#scan-result")).toContainText("Entrée validée");
  await phone.close();
});
