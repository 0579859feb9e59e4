import { appConfig } from "../shared/vite.ts";

export default appConfig(new URL(".", import.meta.url).href, "/app/");
