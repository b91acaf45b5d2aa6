// pai-diag mcp against the official MCP TypeScript SDK's client: the
// server is started by StdioClientTransport with the bundled aliyun
// simulator first on PATH, and driven as an agent host would drive it:
// initialize, tools/list, diagnose, a wait it cancels, wait (with a
// progress token) until done, result, then requests it must refuse.  The client checks every
// structuredContent against the tool's outputSchema.
//   node tests/mcp/interop.mjs BUILD_DIR
// Ends with "N passed, N failed"; exits 1 when an assertion failed.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ErrorCode, McpError, ResultSchema } from "@modelcontextprotocol/sdk/types.js";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const build = path.resolve(root, process.argv[2] ?? "build");
const EAS_ID = "eas-m-bp79exq2lzbd0ctdfu";
const TASK = "Vq7mZ2xK@cn-hangzhou";

let passed = 0;
let failed = 0;
function check(what, ok, detail) {
	if (ok) {
		passed++;
		console.log(`ok   ${what}`);
	} else {
		failed++;
		console.log(`FAIL ${what}${detail === undefined ? "" : ": " + JSON.stringify(detail).slice(0, 600)}`);
	}
}

// The error a call must end with: an McpError of this code.
async function refused(what, code, call) {
	try {
		const r = await call();
		check(what, false, r);
	} catch (e) {
		check(what, e instanceof McpError && e.code === code, { code: e.code, message: e.message });
	}
}

// A world of one EAS service whose diagnosis ends Critical (the demo
// scenario), a valid profile with fake keys, and aliyun the simulator.
function world() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pai-diag-mcp."));
	fs.mkdirSync(path.join(dir, "home/.aliyun"), { recursive: true });
	fs.mkdirSync(path.join(dir, "bin"));
	fs.symlinkSync(path.join(build, "sim/aliyun"), path.join(dir, "bin/aliyun"));
	fs.writeFileSync(path.join(dir, "home/.aliyun/config.json"), JSON.stringify({
		current: "default",
		profiles: [{ name: "default", mode: "AK", access_key_id: "LTAI5tFakeKeyId0000000001",
		    access_key_secret: "FakeSecretNeverPrinted0000000001", region_id: "cn-hangzhou",
		    language: "en" }],
	}));
	fs.writeFileSync(path.join(dir, "calls.log"), "");
	return dir;
}

async function main() {
	const dir = world();
	const log = path.join(dir, "calls.log");
	const transport = new StdioClientTransport({
		command: path.join(build, "pai-diag"),
		args: ["mcp", "--poll-interval", "0.1"],
		env: {
			HOME: path.join(dir, "home"),
			PATH: `${path.join(dir, "bin")}:${process.env.PATH}`,
			ALIYUN_SIM_SCENARIO: path.join(root, "tests/sim/scenarios/demo.json"),
			ALIYUN_SIM_STATE: path.join(dir, "state"),
			ALIYUN_SIM_LOG: log,
			TZ: "UTC",
		},
		stderr: "pipe",
	});
	let stderr = "";
	transport.stderr?.on("data", (b) => { stderr += b; });
	const client = new Client({ name: "pai-diag-interop", version: "1.0.0" });

	await client.connect(transport);
	check("initialize: serverInfo", client.getServerVersion()?.name === "pai-diag", client.getServerVersion());
	check("initialize: tools capability", client.getServerCapabilities()?.tools !== undefined,
	    client.getServerCapabilities());
	await client.ping();
	check("ping", true);

	const { tools } = await client.listTools();
	const names = tools.map((t) => t.name).join(",");
	check("tools/list: the tools", names === "diagnose,wait,result,doctor,plan,history,diff", names);
	check("tools/list: every tool has both schemas",
	    tools.every((t) => t.inputSchema.type === "object" && t.outputSchema?.type === "object"));

	const started = await client.callTool({ name: "diagnose",
	    arguments: { region: "cn-hangzhou", instances: [EAS_ID] } });
	const sc = started.structuredContent;
	check("diagnose: one task started", !started.isError && sc?.started === 1 && sc.tasks[0].task === TASK, started);
	check("diagnose: a text item", started.content?.[0]?.type === "text" && started.content[0].text.includes(TASK),
	    started.content);
	check("diagnose: no poll yet", !fs.readFileSync(log, "utf8").includes("get-diagnosis-result"));

	// A wait the client gives up on: the SDK sends notifications/cancelled,
	// which ends it at once; it is not answered.
	const errors = [];
	client.onerror = (e) => errors.push(String(e));
	const controller = new AbortController();
	const began = Date.now();
	setTimeout(() => controller.abort("enough"), 500);
	try {
		await client.callTool({ name: "wait", arguments: { task_ids: [sc.tasks[0].task],
		    timeout_seconds: 30, poll_interval: 5 } }, undefined, { signal: controller.signal });
		check("cancelled wait: rejected", false);
	} catch (e) {
		check("cancelled wait: rejected", controller.signal.aborted, String(e));
	}
	await client.ping();
	check("cancelled wait: ended at once, no stray answer", Date.now() - began < 4000 && errors.length === 0,
	    { ms: Date.now() - began, errors });

	// The wait pattern: again while a task is running.
	const progress = [];
	let waited;
	for (let i = 0; i < 5; i++) {
		waited = await client.callTool({ name: "wait", arguments: { task_ids: [sc.tasks[0].task],
		    timeout_seconds: 10, poll_interval: 0.1 } }, undefined,
		    { onprogress: (p) => progress.push(p), timeout: 60000 });
		if (waited.structuredContent?.done)
			break;
	}
	const task = waited.structuredContent?.tasks?.[0];
	check("wait: done with the envelope", waited.structuredContent?.done === true && task?.status === "done" &&
	    task.envelope?.summary?.overall_status === "Critical" && task.envelope.task_id === "Vq7mZ2xK", waited);
	check("wait: progress notifications", progress.length >= 2 &&
	    progress.every((p, k) => k === 0 || p.progress > progress[k - 1].progress) &&
	    typeof progress[0].message === "string", progress);
	// One per round, sent before the answer; the client may drop the last,
	// as it handles a notification a tick later than the answer that ends
	// the request (t-mcp.sh counts them all on the wire).
	check("wait: a notification per poll round", task?.polls >= 2 &&
	    (progress.length === task.polls || progress.length === task.polls - 1),
	    { progress: progress.length, polls: task?.polls });

	const again = await client.callTool({ name: "result", arguments: { task_id: TASK } });
	const kept = again.structuredContent?.tasks?.[0];
	check("result: from the history", kept?.source === "history" && kept.envelope?.outcome === "critical", again);

	const doctor = await client.callTool({ name: "doctor", arguments: {} });
	check("doctor", doctor.structuredContent?.doctor === true && doctor.structuredContent.ok === true, doctor);

	const bad = await client.callTool({ name: "diagnose", arguments: { region: "cn-hangzhou", instance: "not-an-id" } });
	check("diagnose of a bad id: isError", bad.isError === true && /not-an-id/.test(bad.content?.[0]?.text), bad);
	await refused("unknown tool: -32602", ErrorCode.InvalidParams,
	    () => client.callTool({ name: "nope", arguments: {} }));
	await refused("wait past 50 s: -32602", ErrorCode.InvalidParams,
	    () => client.callTool({ name: "wait", arguments: { task_id: TASK, timeout_seconds: 99 } }));
	await refused("unknown method: -32601", ErrorCode.MethodNotFound,
	    () => client.request({ method: "pai-diag/nope", params: {} }, ResultSchema));
	await client.ping();
	check("alive after the errors", true);

	const secret = /LTAI|FakeSecret/;
	check("no secret on stderr", !secret.test(stderr));

	await client.close();
	// EOF ends the server, which puts AI mode back last.
	let calls = "";
	for (let i = 0; i < 100 && !calls.trimEnd().endsWith("configure ai-mode disable"); i++) {
		await new Promise((r) => setTimeout(r, 50));
		calls = fs.readFileSync(log, "utf8");
	}
	check("EOF restores AI mode", calls.trimEnd().endsWith("configure ai-mode disable"), calls.split("\n").slice(-3));
	check("one setup", calls.split("\n").filter((l) => l === "configure ai-mode enable").length === 1);
	if (failed)
		console.log(`server stderr:\n${stderr.slice(-3000)}`);
	fs.rmSync(dir, { recursive: true, force: true });
}

try {
	await main();
} catch (e) {
	check("no exception", false, String(e?.stack ?? e));
}
console.log(`interop: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
