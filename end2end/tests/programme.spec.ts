// The back office's programme: an admin creates a venue, a hall with the generator (its live
// preview), a film with recurring screenings and a price, published; a spectator then finds it
// in the programme and buys a seat in the new hall.
import { expect, test } from "@playwright/test";
import { buyTickets } from "./door-helpers";
import { hydrated } from "./helpers";
import { join } from "node:path";

const unique = () => Math.random().toString(36).slice(2, 6).toUpperCase();

test("an admin puts a film on in a new hall; a spectator buys a seat", async ({ page, request }) => {
  await page.goto("/admin");
  await hydrated(page);
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

  // The editor: the press gets two seats of the front row, one seat goes; undone, redone,
  // saved as the hall's second version.
  await page.locator("#plan-hall").selectOption({ label: `Cinéma ${code} – Salle 3 (96 places)` });
  await page.getByRole("button", { name: "Modifier le plan" }).click();
  const editor = page.locator(".plan-editor");
  await expect(editor.locator(".eseats [data-i]")).toHaveCount(96);
  await expect(editor.locator(".editor-ok")).toHaveText("Aucun problème.");
  await editor.locator('.eseats [data-i="0"]').click();
  await editor.locator('.eseats [data-i="1"]').click({ modifiers: ["Shift"] });
  await expect(editor.locator(".editor-count")).toHaveText("2 place(s) choisie(s) sur 96.");
  await expect(editor.locator('.eseats [aria-checked="true"]')).toHaveCount(2);
  await editor.locator("#editor-reason").selectOption("press");
  await editor.getByRole("button", { name: "Bloquer" }).click();
  await expect(editor.locator(".eseats .blocked")).toHaveCount(2);
  await expect(editor.locator('.eseats [data-i="0"]')).toHaveAttribute("aria-label", /bloquée \(presse\)/);
  // Keyboard: from the first seat, one to the right, chosen alone, deleted.
  await editor.locator('.eseats [data-i="0"]').focus();
  await page.keyboard.press("Escape");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("Space");
  await expect(editor.locator(".editor-count")).toHaveText("1 place(s) choisie(s) sur 96.");
  await page.keyboard.press("Delete");
  await expect(editor.locator(".eseats [data-i]")).toHaveCount(95);
  await page.keyboard.press("Control+z");
  await expect(editor.locator(".eseats [data-i]")).toHaveCount(96);
  await page.keyboard.press("Control+y");
  await expect(editor.locator(".eseats [data-i]")).toHaveCount(95);
  // A rectangle around the back row chooses its twelve seats.
  const planMap = editor.locator("svg.plan-map");
  const box = (await planMap.boundingBox())!;
  const last = (await editor.locator(".eseats [data-i]").last().boundingBox())!;
  await page.mouse.move(box.x + 2, last.y - 4);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width - 2, last.y + last.height + 4, { steps: 5 });
  await page.mouse.up();
  await expect(editor.locator(".editor-count")).toHaveText("12 place(s) choisie(s) sur 95.");
  await editor.getByRole("button", { name: "Enregistrer une nouvelle version" }).click();
  await expect(page.getByText("Version 2 enregistrée : 95 places.")).toBeVisible();
  await editor.getByRole("button", { name: "Fermer", exact: true }).click();

  const title = `Film ${unique()}`;
  await page.locator("#show-title").fill(title);
  await page.locator("#show-duration").fill("105");
  await page.getByRole("button", { name: "Créer le spectacle" }).click();
  await expect(page.getByText(`Spectacle « ${title} » créé.`)).toBeVisible();

  // The film gets a poster and a presentation: listed among the shows, edited in place.
  const showRow = page.locator(".shows-table tr", { hasText: title });
  await showRow.getByRole("button", { name: "Modifier" }).click();
  await page.locator("#edit-show-description").fill("Un film de test.\n\nDeuxième paragraphe.");
  await page.locator("#show-poster").setInputFiles(join(__dirname, "..", "fixtures", "affiche.png"));
  await expect(page.getByText("Affiche enregistrée.")).toBeVisible();
  await expect(page.locator(".poster-preview")).toBeVisible();
  await page.locator(".show-editor").getByRole("button", { name: "Enregistrer" }).click();
  await expect(page.getByText("Spectacle enregistré.")).toBeVisible();
  await expect(showRow.locator(".poster-thumb")).toBeVisible();
  // A file that is not an image is refused by the server, in words.
  await showRow.getByRole("button", { name: "Modifier" }).click();
  await page.locator("#show-poster").setInputFiles({ name: "affiche.png", mimeType: "image/png", buffer: Buffer.from("%PDF-1.7") });
  await expect(page.getByText("L’affiche doit être une image JPEG, PNG ou WebP.")).toBeVisible();
  await page.getByRole("button", { name: "Fermer", exact: true }).click();

  // Three days from now, at 14:00 and 20:30.
  const day = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(new Date(Date.now() + 3 * 86_400_000));
  const weekday = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"][new Date(`${day}T12:00:00Z`).getUTCDay()];
  // The venue's catalogue: who qualifies for the reduced tariff; no "moins de 26 ans" here.
  await page.locator("#tariffs-venue").selectOption({ label: `Cinéma ${code}` });
  const reduit = page.locator('.tariffs-table tr[data-tariff="reduit"]');
  await reduit.getByLabel("bénéficiaires reduit").fill("Étudiants et demandeurs d’emploi.");
  await reduit.getByRole("button", { name: "Enregistrer" }).click();
  await expect(page.getByText("Tarif « Tarif réduit » enregistré.")).toBeVisible();
  const moins26 = page.locator('.tariffs-table tr[data-tariff="moins26"]');
  await moins26.locator(".tariff-active").uncheck();
  await moins26.getByRole("button", { name: "Enregistrer" }).click();
  await expect(page.getByText("Tarif « Moins de 26 ans » enregistré.")).toBeVisible();

  await page.locator("#perf-hall").selectOption({ label: `Cinéma ${code} – Salle 3` });
  await expect(page.locator("#perf-price-0-reduit")).toBeVisible();
  await expect(page.locator("#perf-price-0-moins26")).toHaveCount(0);
  await page.locator("#perf-from").fill(day);
  await page.locator("#perf-to").fill(day);
  await page.locator(`.perf-days input[name=${weekday}]`).check();
  await page.locator("#perf-times").fill("14:00, 20:30");
  // Full and reduced price, at most 30 reduced tickets, at most 4 seats an order.
  await page.locator("#perf-price-0-plein").fill("7,50");
  await page.locator("#perf-price-0-reduit").fill("6");
  await page.locator("#perf-quota-reduit").fill("30");
  await page.locator("#perf-max-seats").fill("4");
  // An unreadable price is named before anything is sent.
  await page.locator("#perf-price-0-enfant").fill("4,5x");
  await page.getByRole("button", { name: "Créer les séances" }).click();
  await expect(page.getByText("Prix illisible pour « Catégorie 1 », tarif enfant : « 4,5x » (ex. 7,50).")).toBeVisible();
  await page.locator("#perf-price-0-enfant").fill("");
  await page.getByRole("button", { name: "Créer les séances" }).click();
  await expect(page.getByText("2 séance(s) créée(s).")).toBeVisible();
  // Every act is in the audit log, with who did it.
  await page.getByRole("button", { name: "Afficher les dernières actions" }).click();
  const audit = page.locator(".audit-table");
  await expect(audit).toContainText("performance.create");
  await expect(audit).toContainText("hall.create");
  await expect(audit).toContainText("Camille Administratrice <admin@guichet.test>");

  // The spectator's side: in the programme of that day, and on sale.
  const list: { id: number; show_id: number; title: string; hall: string; sale: string; min_price_cents: number }[] = await (
    await request.get(`/api/v1/performances?date=${day}`)
  ).json();
  const mine = list.filter((p) => p.title === title);
  expect(mine).toHaveLength(2);
  expect(mine[0].sale).toBe("open");
  expect(mine[0].min_price_cents).toBe(600);
  const map = await (await request.get(`/api/v1/performances/${mine[0].id}/seatmap`)).json();
  expect(map.max_seats_per_order).toBe(4);
  const offered = map.categories[0].tariffs.map((t: { code: string; price_cents: number }) => [t.code, t.price_cents]);
  expect(offered).toEqual([["plein", 750], ["reduit", 600]]);
  expect(map.categories[0].tariffs[1].eligibility).toBe("Étudiants et demandeurs d’emploi.");
  await page.goto(`/?date=${day}`);
  await expect(page.getByText(title).first()).toBeVisible();
  // Its page shows the poster (a real image, decoded) and the presentation.
  await page.goto(`/spectacles/${mine[0].show_id}`);
  const poster = page.locator("img.show-poster");
  await expect(poster).toHaveAttribute("alt", `Affiche : ${title}`);
  await expect.poll(() => poster.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(200);
  await expect(page.locator(".description p")).toHaveCount(2);
  const buyer = `Sam Spectateur ${unique()}`;
  const order = await buyTickets(request, mine[1].id, buyer);
  expect(order.tickets[0].number).toBe(`${code}-PLEIN-000001`);

  // The 20:30 screening is cancelled from the back office: confirmed first, then its buyer is
  // listed to be refunded.
  await page.goto("/admin");
  await hydrated(page);
  await expect(page.locator("#day-perfs-title")).toBeVisible();
  await page.locator("#day-perfs-date").fill(day);
  await page.getByRole("button", { name: "Afficher", exact: true }).click();
  const row = page.locator(`tr[data-performance="${mine[1].id}"]`);
  await expect(row).toContainText(title);
  await expect(row.locator(".perf-state")).toHaveText("en vente");
  // The 14:00 screening: box office only, then off the programme.
  const first = page.locator(`tr[data-performance="${mine[0].id}"]`);
  await first.getByRole("button", { name: "Fermer la vente en ligne" }).click();
  await expect(page.getByText("Vente en ligne fermée : billetterie seulement.")).toBeVisible();
  await expect(first.locator(".perf-state")).toHaveText("billetterie seulement");
  const refused = await request.post("/api/v1/holds", { data: { performance_id: mine[0].id, quantity: 1 } });
  expect(refused.status()).toBe(422);
  expect((await refused.json()).message).toBe("Cette séance est vendue à la billetterie seulement.");
  await first.getByRole("button", { name: "Dépublier" }).click();
  await expect(first.locator(".perf-state")).toHaveText("non publiée");
  await row.getByRole("button", { name: "Annuler la séance" }).click();
  await row.getByRole("button", { name: "Confirmer l'annulation" }).click();
  await expect(page.getByText("Séance annulée : 1 commande(s) à rembourser.")).toBeVisible();
  await expect(page.locator(".refund-list")).toContainText(buyer);
  await expect(row.locator(".perf-state")).toHaveText("annulée");
  // The money to give back is listed with the others owed.
  await page.locator(".refunds-due").getByRole("button", { name: "Actualiser" }).click();
  const owed = page.locator(".refunds-table tr", { hasText: buyer });
  await expect(owed).toContainText(title);
  await expect(owed.locator(".refund-reason")).toHaveText("séance annulée");
  const after: { id: number }[] = await (await request.get(`/api/v1/performances?date=${day}`)).json();
  expect(after.map((p) => p.id)).not.toContain(mine[1].id);
});
