extension WebAssets {
    /// `playground.css`: the playground's looks, light and dark, from phone width up.
    static let playgroundCSS = ##"""
:root {
  color-scheme: light dark;
  --bg: #f6f7fb;
  --bg-accent: radial-gradient(1200px 500px at 10% -10%, rgba(124, 92, 255, 0.10), transparent 60%),
               radial-gradient(900px 400px at 110% 0%, rgba(34, 195, 166, 0.10), transparent 60%);
  --card: #ffffff;
  --card-border: #e4e6ef;
  --text: #1b1d2a;
  --muted: #636882;
  --faint: #f0f1f7;
  --accent: #6a4cf5;
  --accent-strong: #5536e0;
  --accent-text: #ffffff;
  --ok: #12946f;
  --ok-soft: rgba(18, 148, 111, 0.12);
  --bad: #d63b4e;
  --bad-soft: rgba(214, 59, 78, 0.11);
  --warn: #b7791f;
  --warn-soft: rgba(221, 160, 40, 0.14);
  --code-bg: #f7f8fc;
  --gutter: #a0a4b8;
  --shadow: 0 1px 2px rgba(20, 22, 40, 0.04), 0 8px 24px rgba(20, 22, 40, 0.05);
  --radius: 14px;
  --mono: ui-monospace, "SF Mono", SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "DejaVu Sans", sans-serif;
  --line: 1.6;
}

@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f1117;
    --bg-accent: radial-gradient(1200px 500px at 10% -10%, rgba(124, 92, 255, 0.16), transparent 60%),
                 radial-gradient(900px 400px at 110% 0%, rgba(34, 195, 166, 0.10), transparent 60%);
    --card: #171a23;
    --card-border: #262a37;
    --text: #e7e9f2;
    --muted: #9398ae;
    --faint: #1e2230;
    --accent: #8b73ff;
    --accent-strong: #9d89ff;
    --accent-text: #0f1117;
    --ok: #3ccf9f;
    --ok-soft: rgba(60, 207, 159, 0.13);
    --bad: #ff6b7d;
    --bad-soft: rgba(255, 107, 125, 0.13);
    --warn: #f1b750;
    --warn-soft: rgba(241, 183, 80, 0.13);
    --code-bg: #12151d;
    --gutter: #5d6278;
    --shadow: 0 1px 2px rgba(0, 0, 0, 0.3), 0 10px 30px rgba(0, 0, 0, 0.25);
  }
}

* { box-sizing: border-box; }

html, body { margin: 0; }

body {
  min-height: 100vh;
  background: var(--bg-accent), var(--bg);
  color: var(--text);
  font: 15px/1.5 var(--sans);
  -webkit-font-smoothing: antialiased;
  display: flex;
  flex-direction: column;
}

code, kbd, pre, textarea { font-family: var(--mono); }
code { font-size: 0.9em; }
[hidden] { display: none !important; }

h1, h2, h3 { margin: 0; font-weight: 650; letter-spacing: -0.01em; }
h2 { font-size: 0.95rem; }
h3 { font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted); margin: 14px 0 6px; }

/* ---- top bar */

.topbar {
  display: flex;
  align-items: center;
  justify-content: space-between;
  gap: 16px;
  padding: 18px clamp(16px, 3vw, 32px);
  max-width: 1320px;
  width: 100%;
  margin: 0 auto;
}
.brand { display: flex; align-items: center; gap: 12px; min-width: 0; }
.brand img { border-radius: 8px; flex: none; }
.brand h1 { font-size: 1.2rem; }
.brand h1 span { color: var(--muted); font-weight: 500; }
.subtitle { margin: 0; color: var(--muted); font-size: 0.82rem; font-family: var(--mono); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }

.health-pill {
  display: inline-flex; align-items: center; gap: 8px;
  padding: 6px 12px; border-radius: 999px;
  background: var(--card); border: 1px solid var(--card-border);
  font-size: 0.82rem; color: var(--muted); white-space: nowrap;
}
.health-pill .pill-detail { margin-left: -4px; }
.health-pill .dot { width: 8px; height: 8px; border-radius: 50%; background: var(--gutter); }
.health-pill[data-status="ok"] .dot { background: var(--ok); box-shadow: 0 0 0 3px var(--ok-soft); }
.health-pill[data-status="degraded"] .dot { background: var(--warn); box-shadow: 0 0 0 3px var(--warn-soft); }
.health-pill[data-status="down"] .dot { background: var(--bad); box-shadow: 0 0 0 3px var(--bad-soft); }

/* ---- banners */

.banner {
  max-width: calc(1320px - 2 * clamp(16px, 3vw, 32px)); width: calc(100% - 2 * clamp(16px, 3vw, 32px));
  margin: 0 auto 18px; padding: 12px 16px; border-radius: 12px;
  display: flex; flex-direction: column; gap: 4px; font-size: 0.9rem;
}
.banner.warning { background: var(--warn-soft); border: 1px solid color-mix(in srgb, var(--warn) 40%, transparent); }
.banner.error { background: var(--bad-soft); border: 1px solid color-mix(in srgb, var(--bad) 40%, transparent); color: var(--text); white-space: pre-wrap; }

/* ---- layout */

.layout {
  flex: 1;
  display: grid;
  grid-template-columns: minmax(290px, 360px) minmax(0, 1fr);
  gap: 18px;
  max-width: 1320px; width: 100%;
  margin: 0 auto;
  padding: 0 clamp(16px, 3vw, 32px) 24px;
  align-items: start;
}
.column { display: flex; flex-direction: column; gap: 18px; min-width: 0; }

.card {
  background: var(--card);
  border: 1px solid var(--card-border);
  border-radius: var(--radius);
  box-shadow: var(--shadow);
  padding: 16px 18px;
  min-width: 0;
}
.card > header { display: flex; align-items: center; justify-content: space-between; gap: 10px; margin-bottom: 10px; min-height: 30px; }

.hint { margin: 0 0 12px; color: var(--muted); font-size: 0.84rem; }
.meta { margin: 6px 0 0; color: var(--muted); font-size: 0.8rem; }
.empty { color: var(--muted); font-size: 0.88rem; margin: 4px 0; }

.tag, .state-chip {
  font-size: 0.72rem; font-weight: 600; letter-spacing: 0.02em;
  padding: 3px 9px; border-radius: 999px;
  background: var(--faint); color: var(--muted); white-space: nowrap;
}
.state-chip[data-state="open"], .state-chip[data-state="connecting"], .state-chip[data-state="reconnecting"] { background: var(--warn-soft); color: var(--warn); }
.state-chip[data-state="authenticated"] { background: var(--ok-soft); color: var(--ok); }
#signer-state[data-state="open"] { background: var(--ok-soft); color: var(--ok); }

/* ---- controls */

button, select, input[type="text"] { font: inherit; color: inherit; }

button {
  cursor: pointer; border-radius: 10px; padding: 8px 14px;
  border: 1px solid var(--card-border); background: var(--card);
  font-weight: 600; font-size: 0.88rem;
  transition: background 0.12s, border-color 0.12s, transform 0.05s;
}
button:hover:not(:disabled) { border-color: var(--accent); }
button:active:not(:disabled) { transform: translateY(1px); }
button:disabled { opacity: 0.5; cursor: not-allowed; }
button:focus-visible, select:focus-visible, input:focus-visible, textarea:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
button.primary { background: var(--accent); border-color: var(--accent); color: var(--accent-text); }
button.primary:hover:not(:disabled) { background: var(--accent-strong); border-color: var(--accent-strong); }
button.ghost { background: transparent; }
button.danger { color: var(--bad); }
button.danger:hover:not(:disabled) { border-color: var(--bad); }
.icon-button { padding: 4px 10px; font-size: 0.78rem; font-weight: 600; color: var(--muted); background: transparent; }

.actions { display: flex; gap: 8px; flex-wrap: wrap; margin-top: 12px; }

.field { display: flex; flex-direction: column; gap: 5px; margin-bottom: 10px; }
.field > span { font-size: 0.78rem; font-weight: 600; color: var(--muted); }
select, input[type="text"] {
  width: 100%; padding: 8px 10px; border-radius: 10px;
  border: 1px solid var(--card-border); background: var(--code-bg);
}
input[type="text"] { font-family: var(--mono); font-size: 0.8rem; }

.key-box {
  display: flex; align-items: center; gap: 8px;
  background: var(--code-bg); border: 1px dashed var(--card-border);
  border-radius: 10px; padding: 10px 10px 10px 12px;
}
.key-box[data-state="ready"] { border-style: solid; }
.key { flex: 1; min-width: 0; word-break: break-all; font-size: 0.78rem; line-height: 1.45; color: var(--text); }
.key-box[data-state="none"] .key { color: var(--muted); font-family: var(--sans); }

.switch { display: flex; align-items: center; gap: 10px; cursor: pointer; font-size: 0.9rem; user-select: none; }
.switch input { position: absolute; opacity: 0; width: 1px; height: 1px; }
.switch .track { width: 38px; height: 22px; border-radius: 999px; background: var(--faint); border: 1px solid var(--card-border); position: relative; flex: none; transition: background 0.15s; }
.switch .track::after { content: ""; position: absolute; top: 2px; left: 2px; width: 16px; height: 16px; border-radius: 50%; background: var(--muted); transition: transform 0.15s, background 0.15s; }
.switch input:checked + .track { background: var(--accent); border-color: var(--accent); }
.switch input:checked + .track::after { transform: translateX(16px); background: #fff; }
.switch input:focus-visible + .track { outline: 2px solid var(--accent); outline-offset: 2px; }
.switch input:disabled + .track { opacity: 0.5; }

.facts { display: grid; grid-template-columns: auto 1fr; gap: 6px 14px; margin: 12px 0 0; font-size: 0.86rem; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; overflow: hidden; text-overflow: ellipsis; }

.tree { list-style: none; margin: 12px 0 0; padding: 10px 0 0; border-top: 1px solid var(--card-border); display: flex; flex-wrap: wrap; gap: 6px; }
.tree .node { display: inline-flex; gap: 6px; align-items: center; font-size: 0.74rem; padding: 3px 8px; border-radius: 8px; background: var(--faint); }
.tree .node .name { font-family: var(--mono); }
.tree .node .state { color: var(--ok); }
.tree .node:not(.running) .state { color: var(--warn); }
.tree .node .restarts { color: var(--warn); }

/* ---- editor */

.toolbar { display: flex; gap: 8px; align-items: center; }
.toolbar select { width: auto; padding: 6px 10px; font-size: 0.85rem; background: transparent; }
button.play { padding: 8px 18px; }
button.play.busy { position: relative; color: transparent; }
button.play.busy::after {
  content: ""; position: absolute; inset: 0; margin: auto; width: 16px; height: 16px;
  border: 2px solid var(--accent-text); border-right-color: transparent; border-radius: 50%;
  animation: spin 0.7s linear infinite;
}
@keyframes spin { to { transform: rotate(360deg); } }

.editor {
  --editor-font: 13.5px;
  display: grid; grid-template-columns: auto 1fr;
  border: 1px solid var(--card-border); border-radius: 12px; overflow: hidden;
  background: var(--code-bg);
  height: clamp(220px, 42vh, 460px);
}
.editor:focus-within { border-color: var(--accent); }
.gutter {
  overflow: hidden; padding: 12px 0; min-width: 3.2em;
  font: var(--editor-font)/var(--line) var(--mono); color: var(--gutter);
  text-align: right; user-select: none; border-right: 1px solid var(--card-border);
}
.gutter div { padding: 0 10px 0 12px; }
.gutter div.error { color: var(--bad); font-weight: 700; background: var(--bad-soft); }
.code { position: relative; min-width: 0; }
.code textarea {
  position: absolute; inset: 0; width: 100%; height: 100%;
  margin: 0; border: 0; outline: none; resize: none;
  padding: 12px 14px; background: transparent; color: var(--text);
  font: var(--editor-font)/var(--line) var(--mono); tab-size: 2;
  white-space: pre; overflow: auto;
}
.error-line { position: absolute; left: 0; right: 0; top: 0; background: var(--bad-soft); border-left: 3px solid var(--bad); pointer-events: none; }
.error-caret { position: absolute; top: 0; width: 2px; background: var(--bad); pointer-events: none; font: var(--editor-font)/var(--line) var(--mono); }

.keys-hint { text-align: right; }
kbd { font-size: 0.72rem; padding: 1px 5px; border-radius: 5px; border: 1px solid var(--card-border); background: var(--faint); }

/* ---- result */

.result-card[data-state="ok"] { border-color: color-mix(in srgb, var(--ok) 45%, var(--card-border)); }
.result-card[data-state="error"] { border-color: color-mix(in srgb, var(--bad) 45%, var(--card-border)); }
pre { margin: 0; white-space: pre-wrap; word-break: break-word; }
.output { font-size: 1.05rem; padding: 12px 14px; border-radius: 10px; background: var(--ok-soft); color: var(--text); }
.logs { margin: 0; padding: 8px 0; list-style: none; counter-reset: log; border-radius: 10px; background: var(--code-bg); font: 0.84rem/1.55 var(--mono); max-height: 260px; overflow: auto; }
.logs li { counter-increment: log; padding: 0 14px; white-space: pre-wrap; word-break: break-word; }
.logs li::before { content: counter(log); display: inline-block; min-width: 2.2em; color: var(--gutter); }
.error-box { border-radius: 10px; background: var(--bad-soft); padding: 12px 14px; }
.error-head { display: flex; align-items: center; gap: 10px; font-size: 0.85rem; color: var(--muted); margin-bottom: 6px; }
.error-kind { font-weight: 700; text-transform: uppercase; font-size: 0.72rem; letter-spacing: 0.06em; color: var(--bad); padding: 2px 8px; border-radius: 6px; border: 1px solid color-mix(in srgb, var(--bad) 40%, transparent); }
#error-message { font-size: 0.88rem; }

/* ---- history */

.history { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 4px; max-height: 320px; overflow: auto; }
.history-item {
  width: 100%; display: grid; grid-template-columns: 20px minmax(0, 1fr) auto; grid-template-rows: auto auto;
  column-gap: 10px; text-align: left; padding: 8px 10px; border-radius: 10px;
  border: 1px solid transparent; background: transparent; font-weight: 400;
}
.history-item:hover:not(:disabled) { background: var(--faint); border-color: var(--card-border); }
.history-item .status { grid-row: span 2; font-weight: 700; color: var(--ok); }
.history .failed .status { color: var(--bad); }
.history-item .snippet { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-size: 0.82rem; }
.history-item .value { font-family: var(--mono); font-size: 0.8rem; color: var(--muted); max-width: 14ch; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.history .failed .value { color: var(--bad); }
.history-item .when { grid-column: 2 / span 2; font-size: 0.74rem; color: var(--muted); }

.footer {
  display: flex; justify-content: space-between; flex-wrap: wrap; gap: 8px;
  max-width: 1320px; width: 100%; margin: 0 auto;
  padding: 8px clamp(16px, 3vw, 32px) 24px; color: var(--muted); font-size: 0.8rem;
}

/* ---- phone width */

@media (max-width: 860px) {
  .layout { grid-template-columns: minmax(0, 1fr); }
  .column { display: contents; }
  #identity-card { order: 1; }
  #circle-card { order: 2; }
  .editor-card { order: 3; }
  .result-card { order: 4; }
  .history-card { order: 5; }
  #signer-card { order: 6; }
  #node-card { order: 7; }
  .editor { height: 300px; }
}

@media (max-width: 520px) {
  body { font-size: 14px; }
  .topbar { padding: 14px 14px 10px; }
  .brand h1 span { display: none; }
  .layout { padding: 0 12px 18px; gap: 14px; }
  .column { gap: 14px; }
  .card { padding: 14px; border-radius: 12px; }
  .editor { --editor-font: 13px; height: 260px; }
  .health-pill .pill-detail { display: none; }
  .keys-hint { display: none; }
  .toolbar select { max-width: 8.5em; }
}

@media (prefers-reduced-motion: reduce) {
  * { transition: none !important; animation: none !important; }
}
"""##
}
