// A small web application on its own origin that uses a circles node through its client module.
// Serve this folder (python3 -m http.server 8000 --directory samples/web), open
// http://localhost:8000/, with that origin allowed on the node (--allowed-origin http://localhost:8000;
// README, "Using circles from a web page").

const $ = (id) => document.getElementById(id);
let client = null;

// The module is loaded from the node the user names: every node serves it at /client/v1/circles.js.
async function loadModule(node) {
  return import(new URL("/client/v1/circles.js", node).href);
}

$("setup").addEventListener("submit", async (event) => {
  event.preventDefault();
  client?.close();
  $("greet").hidden = true;
  $("status").textContent = "Connecting…";
  try {
    const node = $("node").value.trim();
    const { connect, generateKey, loadKey } = await loadModule(node);
    // A key made once by this browser, kept in IndexedDB for this origin; its private half cannot be read.
    const key = (await loadKey()) ?? (await generateKey());
    const url = new URL(`/${$("circle").value.trim()}`, node);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    client = await connect(url.href, { timeout: 10, reconnect: true });
    await client.authenticate(key);
    const me = await client.whoami();
    $("status").textContent = `Connected to ${me.circle.slice(0, 12)}… as ${me.pubkey.slice(0, 12)}…`;
    $("greet").hidden = false;
  } catch (error) {
    // A CirclesError: error.code is the JSON-RPC code or the client's own ("connect_failed", "timeout", ...).
    $("status").textContent = `Could not connect: ${error.message}`;
  }
});

$("greet").addEventListener("submit", async (event) => {
  event.preventDefault();
  // Values go into the script as JSON string literals, which Rhai reads the same way.
  const script = `let name = ${JSON.stringify($("name").value)};
print(\`${"${name}"} says hello\`);
\`Hello ${"${name}"}, from circle ${"${CIRCLE_PUBLIC_KEY}"}\``;
  try {
    const { output, logs } = await client.play(script);
    $("answer").textContent = `${output}\n\nprinted:\n${logs.join("\n")}`;
  } catch (error) {
    $("answer").textContent = error.kind
      ? `${error.kind} error at line ${error.line}, column ${error.column}: ${error.message}`
      : `${error.code}: ${error.message}`;
  }
});
