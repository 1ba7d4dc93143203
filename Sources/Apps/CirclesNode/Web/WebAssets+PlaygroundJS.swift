extension WebAssets {
    /// `playground.js`: the playground page's behaviour, built on the client module.
    static let playgroundJS = ##"""
// The playground on every circles node (GET /): a caller key, a circle, a script, its result.
import { connect, generateKey, loadKey, forgetKey, startSigner, isSupported, CirclesError, ErrorCode, VERSION } from "/client/circles.js";
import { ScriptEditor } from "/playground/editor.js";

const $ = (id) => document.getElementById(id);
const SCRIPT_DRAFT = "circles.playground.script";
const HISTORY = "circles.playground.history";
const HISTORY_LIMIT = 40;

const EXAMPLES = [
  ["Hello", 'print(`hello from ${CALLER_PUBLIC_KEY}`);\n`I am ${CIRCLE_PUBLIC_KEY}`'],
  ["Arithmetic", "let answer = 40 + 2;\nanswer"],
  ["Functions and loops", 'fn fib(n) {\n  if n < 2 { n } else { fib(n - 1) + fib(n - 2) }\n}\nfor i in 0..10 {\n  print(`fib(${i}) = ${fib(i)}`);\n}\nfib(20)'],
  ["Maps and arrays", 'let people = [#{ name: "ada", born: 1815 }, #{ name: "alan", born: 1912 }];\nfor p in people {\n  print(`${p.name}: ${2025 - p.born} years ago`);\n}\npeople.len()'],
  ["Circle data", 'let visits = load_data("visits") ?? 0;\nsave_data("visits", visits + 1);\n`visit number ${visits + 1}`'],
  ["An error", "let total = 0;\nfor i in 0..3 {\n  total += i\n}}\ntotal"],
];

const state = { key: null, client: null, signer: null, reconnects: 0, plays: 0 };

// ---------------------------------------------------------------- small helpers

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function short(hex, keep = 10) {
  return typeof hex === "string" && hex.length > keep * 2 ? `${hex.slice(0, keep)}…${hex.slice(-6)}` : String(hex ?? "");
}

function describe(error) {
  if (error instanceof CirclesError) return error.message;
  return error?.message ?? String(error);
}

function showPageError(error) {
  const banner = $("page-error");
  if (!error) {
    banner.hidden = true;
    banner.textContent = "";
    return;
  }
  banner.textContent = describe(error);
  banner.hidden = false;
}

// ---------------------------------------------------------------- the key

function renderKey() {
  const key = state.key;
  $("key-box").dataset.state = key ? "ready" : "none";
  $("key-public").textContent = key ? key.publicKey : "no key yet";
  $("key-public").title = key ? key.publicKey : "";
  $("copy-key").disabled = !key;
  $("forget-key").disabled = !key;
  $("make-key").textContent = key ? "Make a new key" : "Make a key";
  $("key-created").textContent = key && key.created ? `Made ${new Date(key.created).toLocaleString()}` : "";
  $("signer-toggle").disabled = !key;
}

async function makeKey() {
  if (state.key && !confirm("Replace your key with a new one? Circles that know the old key will not know the new one.")) return;
  try {
    stopSigner();
    state.key = await generateKey();
    renderKey();
    if (state.client && state.client.state === "open") await authenticate();
  } catch (error) {
    showPageError(error);
  }
}

async function dropKey() {
  if (!state.key || !confirm("Forget your key? This identity cannot be recovered.")) return;
  try {
    stopSigner();
    await forgetKey();
    state.key = null;
    renderKey();
    disconnect();
  } catch (error) {
    showPageError(error);
  }
}

async function copyKey() {
  if (!state.key) return;
  try {
    await navigator.clipboard.writeText(state.key.publicKey);
    $("copy-key").textContent = "Copied";
    setTimeout(() => { $("copy-key").textContent = "Copy"; }, 1500);
  } catch {
    getSelection()?.selectAllChildren($("key-public"));
  }
}

// ---------------------------------------------------------------- the circle

const STATE_TEXT = {
  idle: "disconnected", connecting: "connecting…", open: "connected", authenticated: "authenticated", reconnecting: "reconnecting…",
};

function setConnection(name) {
  const chip = $("connection-state");
  chip.dataset.state = name;
  chip.dataset.reconnects = String(state.reconnects);
  chip.textContent = STATE_TEXT[name] ?? name;
  if (name === "idle" || name === "authenticated" || name === "open") setTimeout(refreshHealth, 50);
  const connected = name !== "idle";
  $("connect").textContent = connected ? "Reconnect" : "Connect";
  $("disconnect").disabled = !connected;
}

function circleURL(circle) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/${circle}`;
}

async function refreshWhoami() {
  const client = state.client;
  if (!client) {
    $("whoami").hidden = true;
    return;
  }
  try {
    const me = await client.whoami();
    $("whoami-caller").textContent = me.pubkey ? short(me.pubkey) : "anonymous";
    $("whoami-caller").title = me.pubkey ?? "";
    $("whoami-auth").textContent = me.authenticated ? "yes" : "no";
    $("whoami").hidden = false;
  } catch {
    $("whoami").hidden = true;
  }
}

async function authenticate() {
  const client = state.client;
  if (!client || !state.key) return;
  await client.authenticate(state.key);
  setConnection("authenticated");
  await refreshWhoami();
}

function disconnect() {
  const client = state.client;
  state.client = null;
  if (client) client.close();
  setConnection("idle");
  $("whoami").hidden = true;
}

async function connectCircle() {
  const circle = $("circle-key").value.trim();
  if (!/^([0-9a-fA-F]{66}|[0-9a-fA-F]{130})$/.test(circle)) {
    showPageError(new Error("Pick a circle, or paste its public key (66 hex characters)."));
    return false;
  }
  disconnect();
  showPageError(null);
  setConnection("connecting");
  let client;
  try {
    client = await connect(circleURL(circle), { timeout: 15, reconnect: { initialDelay: 0.25, maxDelay: 3 } });
  } catch (error) {
    setConnection("idle");
    showPageError(error);
    return false;
  }
  state.client = client;
  client.addEventListener("reconnecting", () => { if (state.client === client) setConnection("reconnecting"); });
  client.addEventListener("reconnected", () => {
    if (state.client !== client) return;
    state.reconnects += 1;
    setConnection(client.authenticated ? "authenticated" : "open");
    refreshWhoami();
  });
  client.addEventListener("close", () => {
    if (state.client === client && (client.state === "idle" || client.state === "closed")) {
      state.client = null;
      setConnection("idle");
    }
  });
  setConnection("open");
  try {
    await authenticate();
  } catch (error) {
    showPageError(error);
  }
  await refreshWhoami();
  return true;
}

// ---------------------------------------------------------------- playing

let editor;

function showResult(result) {
  const card = $("result");
  card.dataset.state = result.ok ? "ok" : "error";
  $("result-empty").hidden = true;
  $("result-meta").textContent = `${result.ms.toFixed(1)} ms · ${new Date(result.at).toLocaleTimeString()}`;
  $("output-box").hidden = !result.ok;
  $("output").textContent = result.ok ? result.output : "";
  const logs = $("logs");
  logs.replaceChildren(...(result.logs ?? []).map((line) => element("li", null, line)));
  $("logs-box").hidden = (result.logs ?? []).length === 0;
  $("error").hidden = result.ok;
  if (!result.ok) {
    $("error-kind").textContent = result.kind ?? "error";
    $("error-kind").dataset.kind = result.kind ?? "client";
    $("error-where").textContent = result.line ? `line ${result.line}${result.column ? `, column ${result.column}` : ""}` : "";
    $("error-message").textContent = result.message;
  }
}

async function play() {
  const script = editor.value;
  if (!script.trim()) return;
  if (!state.client && !(await connectCircle())) return;
  const button = $("play");
  button.classList.add("busy");
  state.plays += 1;
  button.disabled = state.plays > 15;
  const at = Date.now();
  const started = performance.now();
  let result;
  try {
    const { output, logs } = await state.client.play(script);
    result = { ok: true, output, logs, at, ms: performance.now() - started };
  } catch (error) {
    const execution = error instanceof CirclesError && error.code === ErrorCode.EXECUTION;
    const detail = execution && error.data && typeof error.data.message === "string" ? error.data.message : describe(error);
    result = { ok: false, kind: execution ? error.kind : String(error.code ?? "error"), message: detail, line: error.line ?? null,
               column: error.column ?? null, logs: [], at, ms: performance.now() - started };
    if (execution && result.line) editor.markError(result.line, result.column);
  } finally {
    state.plays -= 1;
    button.disabled = false;
    if (state.plays === 0) button.classList.remove("busy");
  }
  if (editor.value === script || result.ok) showResult(result);
  addHistory({ script, ...result, circle: state.client?.circle ?? "" });
}

// ---------------------------------------------------------------- history

function loadHistory() {
  try {
    const items = JSON.parse(localStorage.getItem(HISTORY) ?? "[]");
    return Array.isArray(items) ? items : [];
  } catch {
    return [];
  }
}

/** What a play leaves in the history: bounded, so that a few large results cannot fill the storage. */
function bounded(entry) {
  const cut = (text, limit) => (typeof text === "string" && text.length > limit ? `${text.slice(0, limit)}…` : text);
  return { ...entry, script: cut(entry.script, 64 * 1024), output: cut(entry.output, 4096), message: cut(entry.message, 4096),
           logs: (entry.logs ?? []).slice(0, 100).map((line) => cut(line, 1024)) };
}

function addHistory(entry) {
  const items = [bounded(entry), ...loadHistory()].slice(0, HISTORY_LIMIT);
  try { localStorage.setItem(HISTORY, JSON.stringify(items)); } catch { /* storage full or off: the list stays in memory only */ }
  renderHistory(items);
}

function renderHistory(items = loadHistory()) {
  const list = $("history");
  list.replaceChildren(...items.map((item) => {
    const row = element("li", item.ok ? "ok" : "failed");
    const button = element("button", "history-item");
    button.type = "button";
    const firstLine = item.script.split("\n").find((line) => line.trim()) ?? "";
    button.append(
      element("span", "status", item.ok ? "✓" : "✕"),
      element("code", "snippet", firstLine.length > 60 ? `${firstLine.slice(0, 60)}…` : firstLine),
      element("span", "value", item.ok ? short(item.output, 12) : item.kind ?? "error"),
      element("time", "when", `${new Date(item.at).toLocaleTimeString()} · ${Number(item.ms).toFixed(0)} ms`),
    );
    button.addEventListener("click", () => {
      editor.value = item.script;
      localStorage.setItem(SCRIPT_DRAFT, item.script);
      showResult(item);
      if (!item.ok && item.line) editor.markError(item.line, item.column);
    });
    row.append(button);
    return row;
  }));
  $("history-empty").hidden = items.length > 0;
}

// ---------------------------------------------------------------- signer

function setSigner(name, text) {
  const chip = $("signer-state");
  chip.dataset.state = name;
  chip.textContent = text ?? name;
}

function stopSigner() {
  const signer = state.signer;
  state.signer = null;
  if (signer) signer.close();
  $("signer-toggle").checked = false;
  setSigner("idle", "off");
  $("signer-count").textContent = "";
}

async function toggleSigner() {
  if (!$("signer-toggle").checked) {
    stopSigner();
    return;
  }
  if (!state.key) return;
  setSigner("connecting", "connecting…");
  try {
    const signer = await startSigner(location.origin, state.key, { reconnect: { initialDelay: 0.25, maxDelay: 3 } });
    state.signer = signer;
    const count = () => { $("signer-count").textContent = `${signer.signed} request${signer.signed === 1 ? "" : "s"} signed`; };
    signer.addEventListener("request", () => setTimeout(count, 0));
    signer.addEventListener("registered", () => { if (state.signer === signer) setSigner("open", "answering"); });
    signer.addEventListener("reconnecting", () => { if (state.signer === signer) setSigner("reconnecting", "reconnecting…"); });
    signer.addEventListener("close", () => {
      if (state.signer !== signer) return;
      state.signer = null;
      $("signer-toggle").checked = false;
      setSigner("idle", "off");
    });
    setSigner("open", "answering");
    count();
  } catch (error) {
    $("signer-toggle").checked = false;
    setSigner("idle", "off");
    showPageError(error);
  }
}

// ---------------------------------------------------------------- the node's health

let circlesSeen = "";

function renderCircles(circles) {
  const signature = JSON.stringify(circles);
  if (signature === circlesSeen) return;
  circlesSeen = signature;
  const select = $("circle-select");
  const current = $("circle-key").value.trim();
  const options = circles.map((circle) => {
    const option = element("option", null, `${circle.name || "circle"} · ${short(circle.public_key, 8)}`);
    option.value = circle.public_key;
    return option;
  });
  if (options.length === 0) options.push(Object.assign(element("option", null, "no circles served here"), { value: "" }));
  select.replaceChildren(...options);
  const keep = circles.find((circle) => circle.public_key === current);
  if (keep) select.value = keep.public_key;
  else if (!current && circles.length > 0) {
    select.value = circles[0].public_key;
    $("circle-key").value = circles[0].public_key;
  }
}

function renderTree(node, into) {
  for (const child of node.children ?? []) {
    const item = element("li", `node ${child.state}`);
    item.append(element("span", "name", child.id), element("span", "state", child.state));
    if (child.restarts > 0) item.append(element("span", "restarts", `${child.restarts} restarts`));
    into.append(item);
  }
}

async function refreshHealth() {
  const pill = $("health-pill");
  try {
    const response = await fetch("/health", { cache: "no-store" });
    const health = await response.json();
    pill.dataset.status = health.status === "ok" ? "ok" : "degraded";
    $("health-summary").textContent = health.status === "ok" ? "healthy" : "degraded";
    $("health-detail").textContent = `· ${health.sessions} session${health.sessions === 1 ? "" : "s"}`;
    $("health-status").textContent = health.status;
    $("health-queue").textContent = health.queue;
    $("health-sessions").textContent = String(health.sessions);
    $("health-connections").textContent = String(health.connections);
    $("health-restarts").textContent = String(health.restarts);
    const tree = $("health-tree");
    tree.replaceChildren();
    if (health.supervisor) renderTree(health.supervisor, tree);
    renderCircles(Array.isArray(health.circles) ? health.circles : []);
  } catch {
    pill.dataset.status = "down";
    $("health-summary").textContent = "unreachable";
    $("health-detail").textContent = "";
    $("health-status").textContent = "unreachable";
  }
}

// ---------------------------------------------------------------- start

async function start() {
  $("node-address").textContent = location.host;
  $("footer-version").textContent = `circles.js ${VERSION}`;

  const examples = $("examples");
  for (const [name] of EXAMPLES) examples.append(Object.assign(element("option", null, name), { value: name }));
  examples.addEventListener("change", () => {
    const example = EXAMPLES.find(([name]) => name === examples.value);
    if (example) {
      editor.value = example[1];
      localStorage.setItem(SCRIPT_DRAFT, example[1]);
    }
    examples.value = "";
  });

  editor = new ScriptEditor({
    textarea: $("script"), gutter: $("gutter"), errorLine: $("error-line"), errorCaret: $("error-caret"),
    onRun: play, onChange: (text) => { try { localStorage.setItem(SCRIPT_DRAFT, text); } catch { /* not kept */ } },
  });
  editor.value = localStorage.getItem(SCRIPT_DRAFT) ?? EXAMPLES[0][1];

  $("make-key").addEventListener("click", makeKey);
  $("forget-key").addEventListener("click", dropKey);
  $("copy-key").addEventListener("click", copyKey);
  $("connect").addEventListener("click", connectCircle);
  $("disconnect").addEventListener("click", disconnect);
  $("play").addEventListener("click", play);
  $("signer-toggle").addEventListener("change", toggleSigner);
  $("refresh-health").addEventListener("click", refreshHealth);
  $("clear-history").addEventListener("click", () => { localStorage.removeItem(HISTORY); renderHistory([]); });
  $("circle-select").addEventListener("change", () => {
    $("circle-key").value = $("circle-select").value;
    if (state.client) disconnect();
  });

  renderHistory();
  setConnection("idle");
  renderKey();

  if (!window.isSecureContext || !globalThis.crypto?.subtle) {
    $("insecure-text").textContent = `This page was opened as ${location.origin}, which the browser does not treat as a secure context (only https:// and localhost are), so it offers no WebCrypto keys here.`;
    const port = location.port || "80";
    $("insecure-tunnel").textContent = `ssh -L ${port}:127.0.0.1:${port} ${location.hostname}`;
    $("insecure-local").textContent = `http://localhost:${port}/`;
    $("insecure").hidden = false;
    $("make-key").disabled = true;
  } else {
    try {
      state.key = await loadKey();
    } catch (error) {
      showPageError(error);
    }
    renderKey();
    if (!(await isSupported())) {
      $("make-key").disabled = true;
      showPageError(new Error("This browser cannot make Ed25519 keys with WebCrypto (Chrome 137+, Firefox 129+ and Safari 17+ can)."));
    }
  }

  await refreshHealth();
  setInterval(() => { if (!document.hidden) refreshHealth(); }, 5000);
  document.body.dataset.ready = "true";
}

start().catch(showPageError);
"""##
}
