// A real worker in its own process, for tests that kill it (SIGKILL) mid-deploy.
import { startWorker } from "../../lib/worker/worker";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is not set");
await startWorker(url);
process.stdout.write("worker ready\n");
