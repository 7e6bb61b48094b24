// Paying through PayFiP: the spectator is sent to the (stand-in) treasury's page, refuses once,
// pays from the order page, and comes back to the tickets.
import { expect, test } from "@playwright/test";
import { hydrated, seatedBookingLink } from "./helpers";

test("a spectator pays through PayFiP's page and gets the tickets", async ({ page }) => {
  const base = process.env.PAYFIP_URL!;
  const standin = process.env.PAYFIP_STANDIN_URL!;
  await page.goto(`${base}/`);
  await expect(page.getByTestId("sandbox-notice")).toHaveCount(0);
  const booking = seatedBookingLink(page);
  const href = await booking.getAttribute("href");
  await page.goto(`${base}${href}`);
  await hydrated(page);
  await page.locator('[data-seat-id][class~="free"]').first().click();
  await page.locator("#reserve-button").click();
  await expect(page.locator("p.countdown[role=timer]")).toBeVisible();
  await page.locator("#buyer-name").fill("Olympe de Gouges");
  await page.locator("#buyer-email").fill("olympe@exemple.fr");
  await page.getByRole("button", { name: "Valider et payer" }).click();

  // No sandbox here: one button, with the amount.
  const pay = page.locator("#pay-payfip");
  await expect(pay).toHaveText(/Payer [\d\s]+(,\d\d)?\s€ par carte bancaire \(PayFiP\)/);
  await expect(page.locator("#pay-approve")).toBeHidden();
  await pay.click();

  // PayFiP's page: refuse first.
  await expect(page).toHaveURL(new RegExp(`^${standin}/tpa/paiementws\\.web\\?idop=`));
  await expect(page.locator("#montant")).toContainText("€");
  await page.locator("#standin-refuse").click();
  await expect(page).toHaveURL(/\/commandes\/[0-9a-f]{32}\/[0-9a-f]{48}$/);
  await expect(page.getByText("Le paiement a été refusé")).toBeVisible();
  await hydrated(page);

  // Again from the order page, and this time pay.
  await page.locator("#pay-payfip").click();
  await expect(page).toHaveURL(new RegExp(`^${standin}/tpa/paiementws\\.web\\?idop=`));
  await page.locator("#standin-pay").click();
  await expect(page).toHaveURL(/\/commandes\/[0-9a-f]{32}\/[0-9a-f]{48}$/);
  await expect(page.locator(".order-status.status-paid")).toBeVisible();
  await expect(page.locator("li.ticket")).toHaveCount(1);
  const pdfHref = await page.locator("a.download-all").getAttribute("href");
  const pdf = await page.request.get(`${base}${pdfHref}`);
  expect(pdf.status()).toBe(200);
});
