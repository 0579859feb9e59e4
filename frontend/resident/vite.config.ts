import { appConfig } from "../shared/vite.ts";
import { serviceWorker } from "./sw-plugin.ts";

const BASE = "/app/";
const config = appConfig(new URL(".", import.meta.url).href, BASE);

export default { ...config, plugins: [...(config.plugins ?? []), serviceWorker(BASE)] };
