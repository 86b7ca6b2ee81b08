import base from "./playwright.config";

// scripts/bench: what each page downloads (printed, not asserted), against the
// release binary and site. Same portal start-up as the browser tests.
export default { ...base, testDir: "./weights" };
