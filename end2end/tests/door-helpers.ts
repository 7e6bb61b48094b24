// Test data for the door journeys: tickets bought through the JSON API, door accesses created
// with the server's CLI (run-e2e.sh exports the main server's database and keys), and a fake
// camera video (.y4m) showing a ticket's QR code.
import { APIRequestContext, Browser, expect } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";

export interface Ticket {
  id: number;
  number: string;
  code: string;
  holder_name: string;
}

export interface Order {
  id: string;
  token: string;
  reference: string;
  performance: { id: number; title: string };
  tickets: Ticket[];
}

/** An open performance with room left; the last of the list, away from the spectator journeys. */
export async function openPerformance(request: APIRequestContext, minAvailable = 6): Promise<number> {
  const res = await request.get("/api/v1/performances");
  expect(res.ok()).toBeTruthy();
  const perfs: { id: number; sale: string; available: number }[] = await res.json();
  const open = perfs.filter((p) => p.sale === "open" && p.available >= minAvailable);
  expect(open.length).toBeGreaterThan(0);
  return open[open.length - 1].id;
}

/** Buys `quantity` full-price tickets for `buyer` and pays them in the sandbox. */
export async function buyTickets(
  request: APIRequestContext,
  performanceId: number,
  buyer: string,
  quantity = 1,
): Promise<Order> {
  const map = await (await request.get(`/api/v1/performances/${performanceId}/seatmap`)).json();
  const hold = await request.post("/api/v1/holds", { data: { performance_id: performanceId, quantity } });
  expect(hold.status(), await hold.text()).toBe(201);
  const h = await hold.json();
  const noProof = (tariffs: { code: string; proof_required: boolean }[]) =>
    tariffs.find((t) => !t.proof_required)!.code;
  let tickets: { seat_id?: number; tariff: string }[];
  if (map.performance.seated) {
    tickets = h.seat_ids.map((seatId: number) => {
      const seat = map.seats.find((s: { id: number }) => s.id === seatId);
      const cat = map.categories.find((c: { id: number }) => c.id === seat.category_id);
      return { seat_id: seatId, tariff: noProof(cat.tariffs) };
    });
  } else {
    tickets = Array.from({ length: quantity }, () => ({ tariff: noProof(map.tariffs) }));
  }
  const email = `${buyer.toLowerCase().replace(/[^a-z]+/g, ".")}@exemple.fr`;
  const order = await request.post("/api/v1/orders", {
    data: { hold_id: h.id, buyer: { name: buyer, email }, tickets, lang: "fr" },
  });
  expect(order.status(), await order.text()).toBe(201);
  const o = await order.json();
  const paid = await request.post(`/api/v1/orders/${o.id}/payment`, { data: { outcome: "approve", token: o.token } });
  expect(paid.status(), await paid.text()).toBe(200);
  const result: Order = await paid.json();
  expect(result.tickets).toHaveLength(quantity);
  return result;
}

/** `guichet door create` against the main server's database; returns the token. */
export function doorToken(performanceId: number, supervisor = false): string {
  const bin = process.env.GUICHET_BIN;
  if (!bin || !process.env.MAIN_DATABASE_URL) {
    throw new Error("run through end2end/run-e2e.sh (GUICHET_BIN, MAIN_DATABASE_URL…)");
  }
  const args = ["door", "create", "--performance", String(performanceId), "--hours", "2", "--label", "Test porte"];
  if (supervisor) args.push("--supervisor");
  const out = execFileSync(bin, args, {
    encoding: "utf8",
    env: {
      ...process.env,
      DATABASE_URL: process.env.MAIN_DATABASE_URL,
      GUICHET_KEYS_FILE: process.env.MAIN_KEYS_FILE,
      LEPTOS_SITE_ROOT: process.env.MAIN_SITE_ROOT,
      LEPTOS_SITE_ADDR: process.env.MAIN_SITE_ADDR,
      GUICHET_PAYMENTS: "sandbox",
      RUST_LOG: "warn",
    },
  });
  const m = out.match(/token: (\S+)/);
  if (!m) throw new Error(`no token in: ${out}`);
  return m[1];
}

export function qrSvgUrl(order: Order, ticket: Ticket): string {
  return `/api/v1/orders/${order.id}/tickets/${ticket.id}.svg?token=${encodeURIComponent(order.token)}`;
}

/**
 * Renders the ticket's QR SVG, centred on white, into a 640×480 YUV4MPEG2 file (20 identical
 * frames at 10 fps) for Chromium's fake camera; returns the file path.
 */
export async function qrVideo(
  browser: Browser,
  request: APIRequestContext,
  order: Order,
  ticket: Ticket,
): Promise<string> {
  const res = await request.get(qrSvgUrl(order, ticket));
  expect(res.status(), "the server must serve GET /api/v1/orders/{id}/tickets/{ticket_id}.svg").toBe(200);
  expect(res.headers()["content-type"]).toContain("image/svg+xml");
  const svg = (await res.body()).toString("base64");
  const [w, h] = [640, 480];
  const ctx = await browser.newContext({ viewport: { width: w, height: h }, deviceScaleFactor: 1 });
  const page = await ctx.newPage();
  await page.setContent(
    `<html><body style="margin:0;background:#fff;width:${w}px;height:${h}px;display:flex;align-items:center;justify-content:center">` +
      `<img id="qr" style="width:320px;height:320px" src="data:image/svg+xml;base64,${svg}"></body></html>`,
  );
  await page.waitForFunction(() => (document.getElementById("qr") as HTMLImageElement).complete);
  const png = PNG.sync.read(await page.screenshot({ clip: { x: 0, y: 0, width: w, height: h } }));
  await ctx.close();
  expect([png.width, png.height]).toEqual([w, h]);

  // RGBA → planar YUV 4:2:0 (full-range BT.601, as C420jpeg expects).
  const y = Buffer.alloc(w * h);
  const u = Buffer.alloc((w / 2) * (h / 2));
  const v = Buffer.alloc((w / 2) * (h / 2));
  const px = (x: number, yy: number) => {
    const i = (yy * w + x) * 4;
    return [png.data[i], png.data[i + 1], png.data[i + 2]];
  };
  for (let yy = 0; yy < h; yy++) {
    for (let x = 0; x < w; x++) {
      const [r, g, b] = px(x, yy);
      y[yy * w + x] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    }
  }
  for (let yy = 0; yy < h; yy += 2) {
    for (let x = 0; x < w; x += 2) {
      let [r, g, b] = [0, 0, 0];
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
        const p = px(x + dx, yy + dy);
        r += p[0] / 4;
        g += p[1] / 4;
        b += p[2] / 4;
      }
      const i = (yy / 2) * (w / 2) + x / 2;
      u[i] = Math.max(0, Math.min(255, Math.round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b)));
      v[i] = Math.max(0, Math.min(255, Math.round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b)));
    }
  }
  const frame = Buffer.concat([Buffer.from("FRAME\n"), y, u, v]);
  const header = Buffer.from(`YUV4MPEG2 W${w} H${h} F10:1 Ip A1:1 C420jpeg\n`);
  const file = join(mkdtempSync(join(tmpdir(), "guichet-qr-")), "ticket.y4m");
  writeFileSync(file, Buffer.concat([header, ...Array(20).fill(frame)]));
  return file;
}
