extension WebAssets {
    /// `GET /`: the playground page. Its behaviour is in `playground.js`, its looks in `playground.css`.
    static let playgroundHTML = ##"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>circles playground</title>
<link rel="icon" href="/playground/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/playground/playground.css">
<script type="module" src="/playground/playground.js"></script>
</head>
<body>
<header class="topbar">
  <div class="brand">
    <img src="/playground/icon.svg" alt="" width="28" height="28">
    <div>
      <h1>circles <span>playground</span></h1>
      <p class="subtitle" id="node-address">this node</p>
    </div>
  </div>
  <div class="health-pill" id="health-pill" data-status="unknown" title="The node's health">
    <span class="dot"></span><span id="health-summary">checking…</span><span class="pill-detail" id="health-detail"></span>
  </div>
</header>

<div class="banner warning" id="insecure" hidden>
  <strong>No caller keys on this page.</strong>
  <span id="insecure-text">This page is not a secure context, so the browser offers no WebCrypto keys here.</span>
  <span>Fix it: serve the node over TLS (<code>circles serve --tls-cert CERT.pem --tls-key KEY.pem</code>, the same
  flags on <code>circles launch</code>) and open it with <code>https://</code>; or reach it as
  <code>localhost</code> through a tunnel: <code id="insecure-tunnel">ssh -L PORT:127.0.0.1:PORT HOST</code>, then
  <code id="insecure-local">http://localhost:PORT/</code>.
  You can still connect and play where the node does not require authentication.</span>
</div>
<div class="banner error" id="page-error" hidden></div>

<main class="layout">
  <section class="column side">
    <article class="card" id="identity-card">
      <header><h2>Your caller key</h2><span class="tag">Ed25519</span></header>
      <p class="hint">Made by this browser and kept in its storage for this site. The private key cannot be read by any script, this page included: it only signs.</p>
      <div class="key-box" id="key-box" data-state="none">
        <code id="key-public" class="key">no key yet</code>
        <button type="button" class="icon-button" id="copy-key" title="Copy the public key" disabled>Copy</button>
      </div>
      <p class="meta" id="key-created"></p>
      <div class="actions">
        <button type="button" class="primary" id="make-key">Make a key</button>
        <button type="button" class="ghost danger" id="forget-key" disabled>Forget</button>
      </div>
    </article>

    <article class="card" id="circle-card">
      <header><h2>Circle</h2><span class="state-chip" id="connection-state" data-state="idle">disconnected</span></header>
      <label class="field">
        <span>Circles on this node</span>
        <select id="circle-select"><option value="">loading…</option></select>
      </label>
      <label class="field">
        <span>Public key</span>
        <input id="circle-key" type="text" spellcheck="false" autocomplete="off" placeholder="02… or 03… (66 hex)">
      </label>
      <div class="actions">
        <button type="button" class="primary" id="connect">Connect</button>
        <button type="button" class="ghost" id="disconnect" disabled>Disconnect</button>
      </div>
      <dl class="facts" id="whoami" hidden>
        <dt>Caller</dt><dd><code id="whoami-caller">—</code></dd>
        <dt>Authenticated</dt><dd id="whoami-auth">—</dd>
      </dl>
    </article>

    <article class="card" id="signer-card">
      <header><h2>Signer</h2><span class="state-chip" id="signer-state" data-state="idle">off</span></header>
      <p class="hint">Answer the node's signing service (<code>POST /api/sign</code>) with your key. Requests are signed under the <code>circles-sign:v1</code> prefix, so they can never pass as a login.</p>
      <label class="switch">
        <input type="checkbox" id="signer-toggle" disabled>
        <span class="track"></span><span>Answer signing requests</span>
      </label>
      <p class="meta" id="signer-count"></p>
    </article>

    <article class="card" id="node-card">
      <header><h2>Node</h2><button type="button" class="icon-button" id="refresh-health" title="Refresh">Refresh</button></header>
      <dl class="facts" id="health-facts">
        <dt>Status</dt><dd id="health-status">—</dd>
        <dt>Queue</dt><dd id="health-queue">—</dd>
        <dt>Sessions</dt><dd id="health-sessions">—</dd>
        <dt>Connections</dt><dd id="health-connections">—</dd>
        <dt>Restarts</dt><dd id="health-restarts">—</dd>
      </dl>
      <ul class="tree" id="health-tree"></ul>
    </article>
  </section>

  <section class="column main">
    <article class="card editor-card">
      <header>
        <h2>Script</h2>
        <div class="toolbar">
          <select id="examples" aria-label="Examples">
            <option value="">Examples…</option>
          </select>
          <button type="button" class="primary play" id="play" title="Play (Ctrl+Enter)">▶ Play</button>
        </div>
      </header>
      <div class="editor" id="editor">
        <div class="gutter" id="gutter" aria-hidden="true"></div>
        <div class="code">
          <div class="error-line" id="error-line" hidden></div>
          <div class="error-caret" id="error-caret" hidden></div>
          <textarea id="script" spellcheck="false" autocapitalize="off" autocomplete="off" autocorrect="off" wrap="off" aria-label="Rhai script"></textarea>
        </div>
      </div>
      <p class="meta keys-hint"><kbd>Ctrl</kbd> + <kbd>Enter</kbd> plays · <kbd>Tab</kbd> indents</p>
    </article>

    <article class="card result-card" id="result" data-state="empty">
      <header><h2>Result</h2><span class="meta" id="result-meta"></span></header>
      <div class="empty" id="result-empty">Play a script to see its value and what it printed.</div>
      <div class="error-box" id="error" hidden>
        <div class="error-head"><span class="error-kind" id="error-kind">error</span><span id="error-where"></span></div>
        <pre id="error-message"></pre>
      </div>
      <div id="output-box" hidden>
        <h3>Value</h3>
        <pre class="output" id="output"></pre>
      </div>
      <div id="logs-box" hidden>
        <h3>Printed</h3>
        <ol class="logs" id="logs"></ol>
      </div>
    </article>

    <article class="card history-card">
      <header><h2>History</h2><button type="button" class="icon-button" id="clear-history" title="Clear the history">Clear</button></header>
      <ol class="history" id="history"></ol>
      <p class="empty" id="history-empty">Your plays appear here; pick one to load its script again.</p>
    </article>
  </section>
</main>

<footer class="footer">
  <span>Use the client in your own pages: <code>import { connect } from "/client/v1/circles.js"</code></span>
  <span id="footer-version"></span>
</footer>
</body>
</html>
"""##
}
