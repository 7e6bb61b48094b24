// The seat-selection benchmark (scripts/bench-seatmap.sh): headless Chromium, one worker.
import base from "../playwright.config";
import { defineConfig } from "@playwright/test";

export default defineConfig({
  ...base,
  testDir: ".",
  testMatch: /.*\.bench\.ts/,
  timeout: 300_000,
  reporter: [["list"]],
});
