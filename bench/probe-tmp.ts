import { profileNoop } from "./profile.ts";
import { getBenchEnv } from "./tools.ts";
const s = await profileNoop("/tmp/noetl-bench-Hn0VR7/example/ours-node", "/tmp/bp/prof", getBenchEnv());
console.log(s.wallMs, s.profiledMs, s.children);
console.table(s.groups.slice(0, 15));
