// The back office's programme: an admin creates a venue, a hall with the generator (its live
// preview), a film with recurring screenings and a price, published; a spectator then finds it
// in the programme and buys a seat in the new hall.
import { expect, test } from "@playwright/test";
import { buyTickets } from "./door-helpers";

const unique = () => Math.random().toString(36).slice(2, 6).toUpperCase();

test("an admin puts a film on in a new hall; a spectator buys a seat", async ({ page, request }) => {
  await page.goto("/admin");
  await page.locator("#admin-login-email").fill("admin@guichet.test");
  await page.locator("#admin-login-password").fill("demo-admin-2026");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page.locator("#programme-title")).toBeVisible();

  const code = `C${unique()}`.slice(0, 5);
  await page.locator("#venue-name").fill(`Cinéma ${code}`);
  await page.locator("#venue-code").fill(code);
  await page.locator("#venue-operator").fill("Ville de Test");
  await page.locator("#venue-kind").selectOption("cinema");
  await page.getByRole("button", { name: "Créer le lieu" }).click();
  await expect(page.getByText(`Lieu « Cinéma ${code} » créé`)).toBeVisible();

  // The generator's preview follows the form.
  await page.locator("#hall-venue").selectOption({ label: `Cinéma ${code}` });
  await page.locator("#hall-name").fill("Salle 3");
  await page.locator("#hall-rows").fill("8");
  await page.locator("#hall-seats").fill("12");
  await expect(page.locator(".hall-preview-count")).toHaveText("96 places");
  await expect(page.locator(".hall-preview circle")).toHaveCount(96);
  await page.getByRole("button", { name: "Créer la salle" }).click();
  await expect(page.getByText("Salle « Salle 3 » créée : 96 places.")).toBeVisible();

  const title = `Film ${unique()}`;
  await page.locator("#show-title").fill(title);
  await page.locator("#show-duration").fill("105");
  await page.getByRole("button", { name: "Créer le spectacle" }).click();
  await expect(page.getByText(`Spectacle « ${title} » créé.`)).toBeVisible();

  // Three days from now, at 14:00 and 20:30.
  const day = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(new Date(Date.now() + 3 * 86_400_000));
  const weekday = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"][new Date(`${day}T12:00:00Z`).getUTCDay()];
  await page.locator("#perf-hall").selectOption({ label: `Cinéma ${code} – Salle 3` });
  await page.locator("#perf-from").fill(day);
  await page.locator("#perf-to").fill(day);
  await page.locator(`.perf-days input[name=${weekday}]`).check();
  await page.locator("#perf-times").fill("14:00, 20:30");
  await page.locator("#perf-price-0").fill("7,50");
  await page.getByRole("button", { name: "Créer les séances" }).click();
  await expect(page.getByText("2 séance(s) créée(s).")).toBeVisible();
  // Every act is in the audit log, with who did it.
  await page.getByRole("button", { name: "Afficher les dernières actions" }).click();
  const audit = page.locator(".audit-table");
  await expect(audit).toContainText("performance.create");
  await expect(audit).toContainText("hall.create");
  await expect(audit).toContainText("Camille Administratrice <admin@guichet.test>");

  // The spectator's side: in the programme of that day, and on sale.
  const list: { id: number; title: string; hall: string; sale: string; min_price_cents: number }[] = await (
    await request.get(`/api/v1/performances?date=${day}`)
  ).json();
  const mine = list.filter((p) => p.title === title);
  expect(mine).toHaveLength(2);
  expect(mine[0].sale).toBe("open");
  expect(mine[0].min_price_cents).toBe(750);
  await page.goto(`/?date=${day}`);
  await expect(page.getByText(title).first()).toBeVisible();
  const buyer = `Sam Spectateur ${unique()}`;
  const order = await buyTickets(request, mine[1].id, buyer);
  expect(order.tickets[0].number).toBe(`${code}-PLEIN-000001`);

  // The 20:30 screening is cancelled from the back office: confirmed first, then its buyer is
  // listed to be refunded.
  await page.goto("/admin");
  await expect(page.locator("#day-perfs-title")).toBeVisible();
  await page.locator("#day-perfs-date").fill(day);
  await page.getByRole("button", { name: "Afficher", exact: true }).click();
  const row = page.locator(`tr[data-performance="${mine[1].id}"]`);
  await expect(row).toContainText(title);
  await expect(row.locator(".perf-state")).toHaveText("en vente");
  await row.getByRole("button", { name: "Annuler la séance" }).click();
  await row.getByRole("button", { name: "Confirmer l'annulation" }).click();
  await expect(page.getByText("Séance annulée : 1 commande(s) à rembourser.")).toBeVisible();
  await expect(page.locator(".refund-list")).toContainText(buyer);
  await expect(row.locator(".perf-state")).toHaveText("annulée");
  const after: { id: number }[] = await (await request.get(`/api/v1/performances?date=${day}`)).json();
  expect(after.map((p) => p.id)).not.toContain(mine[1].id);
});
