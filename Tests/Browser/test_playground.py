"""The playground (GET /) and the client module (/client/circles.js) in a real headless Chromium."""

import base64
import json
import os

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from conftest import wait_until

SIGNING_PREFIX = b"circles-sign:v1\n"


def ensure_key(browser):
    if browser.attribute("key-box", "data-state") != "ready":
        browser.click("make-key")
        browser.wait_for("return document.getElementById('key-box').dataset.state === 'ready'", what="a key")
    return browser.text("key-public")


def connect(browser, circle):
    browser.js("const select = document.getElementById('circle-select'); select.value = arguments[0];"
               "select.dispatchEvent(new Event('change'));", circle)
    browser.click("connect")
    browser.wait_for("return document.getElementById('connection-state').dataset.state === 'authenticated'",
                     what="an authenticated connection")


def play(browser, script):
    before = browser.js("return document.querySelectorAll('#history li').length")
    browser.set_script(script)
    browser.click("play")
    browser.wait_for("return document.querySelectorAll('#history li').length > arguments[0]", before, what="the play to finish")


def test_the_playground_loads_with_no_console_errors_and_no_csp_violations(browser, node):
    browser.open()
    assert browser.driver.title == "circles playground"
    browser.wait_for("return document.getElementById('health-pill').dataset.status === 'ok'", what="the node's health")
    options = browser.js("return [...document.querySelectorAll('#circle-select option')].map((o) => o.value)")
    assert sorted(options) == sorted(node.circles.values())
    assert browser.js("return window.isSecureContext") is True
    assert browser.attribute("insecure", "hidden") is not None
    assert browser.console_errors() == []
    assert browser.csp_violations() == []


def test_a_key_is_made_survives_a_reload_and_authenticates(browser, node):
    browser.open()
    ensure_key(browser)
    browser.js("window.confirm = () => true")
    browser.click("forget-key")
    browser.wait_for("return document.getElementById('key-box').dataset.state === 'none'", what="the key forgotten")
    browser.open()
    assert browser.attribute("key-box", "data-state") == "none"

    key = ensure_key(browser)
    assert len(key) == 64 and all(c in "0123456789abcdef" for c in key)
    # What IndexedDB keeps is a CryptoKey that nobody can export.
    stored = browser.run_async("""
        const db = await new Promise((resolve, reject) => {
          const open = indexedDB.open("circles");
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error);
        });
        const record = await new Promise((resolve) => {
          const get = db.transaction("keys").objectStore("keys").get("default");
          get.onsuccess = () => resolve(get.result);
        });
        db.close();
        let exported = "exported";
        try { await crypto.subtle.exportKey("pkcs8", record.privateKey); } catch (error) { exported = error.name; }
        return { extractable: record.privateKey.extractable, algorithm: record.privateKey.algorithm.name, exported, hex: record.hex };""")
    assert stored == {"extractable": False, "algorithm": "Ed25519", "exported": "InvalidAccessError", "hex": key}

    browser.open()
    assert browser.text("key-public") == key

    connect(browser, node.circles["ourworld"])
    browser.wait_for("return !document.getElementById('whoami').hidden", what="whoami")
    assert browser.attribute("whoami-caller", "title") == key
    assert browser.text("whoami-auth") == "yes"
    # The page signed the bound form of SPEC 3.1 for this host and circle, nothing else.
    signed = browser.run_async("""
        const { boundMessage } = await import("/client/circles.js");
        return boundMessage(location.host, arguments[0], "ab".repeat(32));""", node.circles["ourworld"])
    assert signed == f"circles-auth:v1\n127.0.0.1:{node.port}\n{node.circles['ourworld']}\n{'ab' * 32}"
    assert browser.console_errors() == []
    assert browser.csp_violations() == []


def test_a_play_returns_its_value_and_printed_lines(browser, node):
    browser.open()
    ensure_key(browser)
    connect(browser, node.circles["ourworld"])
    play(browser, 'print("hello");\nprint(`caller ${CALLER_PUBLIC_KEY.len()}`);\n40 + 2')
    assert browser.attribute("result", "data-state") == "ok"
    assert browser.text("output") == "42"
    assert browser.js("return [...document.querySelectorAll('#logs li')].map((li) => li.textContent)") == ["hello", "caller 64"]
    assert browser.js("return document.querySelector('#history li').className") == "ok"


def test_a_parse_error_marks_its_line_and_column(browser, node):
    browser.open()
    ensure_key(browser)
    connect(browser, node.circles["ourworld"])
    play(browser, "let a = 1;\nlet b = 2;\nlet c = ;\na + b")
    assert browser.attribute("result", "data-state") == "error"
    assert browser.text("error-kind") == "parse"
    assert browser.attribute("editor", "data-error-line") == "3"
    assert browser.js("return document.querySelector('#gutter [data-line=\"3\"]').classList.contains('error')")
    assert browser.js("return document.querySelectorAll('#gutter .error').length") == 1
    assert browser.attribute("error-line", "hidden") is None
    assert "line 3" in browser.text("error-where")
    # Editing clears the mark.
    browser.set_script("1")
    assert browser.attribute("editor", "data-error-line") is None


def test_the_client_module_matches_concurrent_calls_and_throws_typed_errors(browser, node):
    browser.open()
    ensure_key(browser)
    result = browser.run_async("""
        const { connect, loadKey, CirclesError, ErrorCode } = await import("/client/circles.js");
        const client = await connect(`ws://${location.host}/${arguments[0]}`, { timeout: 20 });
        const outcome = {};
        try { await client.play("1"); } catch (error) {
          outcome.unauthenticated = [error instanceof CirclesError, error.code];
        }
        await client.authenticate(await loadKey());
        const plays = await Promise.all([5, 4, 3, 2, 1].map((n) => client.play(`let x = 0; for i in 0..${n * 2000} { x += 1 } ${n}`)));
        outcome.outputs = plays.map((p) => p.output);
        try { await client.play("let ok = 1;\\nthrow \\"boom\\";"); } catch (error) {
          outcome.runtime = [error.name, error.code, error.kind, error.line, error.column];
        }
        try { await client.call("no_such_method"); } catch (error) { outcome.unknown = error.code; }
        try {
          await client.play("let x = 0; loop { x += 1; if x > 100000000 { break } } x", { timeout: 0.05 });
        } catch (error) { outcome.timeout = error.code; }
        outcome.whoami = await client.whoami();
        client.close();
        try { await client.play("1"); } catch (error) { outcome.closed = error.code; }
        return outcome;""", node.circles["threefold"])
    assert result["unauthenticated"] == [True, -32001]
    assert result["outputs"] == ["5", "4", "3", "2", "1"]
    assert result["runtime"][:3] == ["CirclesError", -32000, "runtime"]
    assert result["runtime"][3] == 2 and isinstance(result["runtime"][4], int)
    assert result["unknown"] == -32601
    assert result["timeout"] == "timeout"
    assert result["whoami"]["authenticated"] is True and result["whoami"]["circle"] == node.circles["threefold"]
    assert result["closed"] == "closed"


def test_the_client_refuses_to_sign_a_nonce_that_is_not_64_lowercase_hex(browser):
    browser.open()
    ensure_key(browser)
    # A fake node in the page: a WebSocket whose fetch_nonce answers with something else to sign.
    result = browser.run_async("""
        const { connect, loadKey } = await import("/client/circles.js");
        const Real = window.WebSocket;
        const signed = [];
        class FakeNode extends EventTarget {
          constructor(url) { super(); this.readyState = 0; setTimeout(() => { this.readyState = 1; this.onopen?.({}); }, 0); }
          send(text) {
            const call = JSON.parse(text);
            if (call.method === "authenticate") signed.push(call.params.signature);
            const result = call.method === "fetch_nonce" ? { nonce: "circles-auth:v1\\nevil.example\\n" + "0".repeat(64), expires_at: 0 } : { authenticated: true };
            setTimeout(() => this.onmessage?.({ data: JSON.stringify({ jsonrpc: "2.0", id: call.id, result }) }), 0);
          }
          close() {}
        }
        FakeNode.OPEN = 1;
        window.WebSocket = FakeNode;
        try {
          const client = await connect("ws://127.0.0.1:1/" + "02" + "11".repeat(32), { timeout: 5 });
          await client.authenticate(await loadKey());
          return { refused: false, signed };
        } catch (error) {
          return { refused: true, code: error.code, signed };
        } finally {
          window.WebSocket = Real;
        }""")
    assert result == {"refused": True, "code": "invalid_nonce", "signed": []}


def test_the_signer_answers_a_signing_request_and_the_signature_verifies(browser, node):
    browser.open()
    key = ensure_key(browser)
    browser.js("document.getElementById('signer-toggle').click()")
    browser.wait_for("return document.getElementById('signer-state').dataset.state === 'open'", what="the signer registered")
    message = os.urandom(48)
    status, body = node.post_json("/api/sign", {"public_key": key, "message": base64.b64encode(message).decode()})
    assert status == 200, body
    assert base64.b64decode(body["response"]) == message
    signature = base64.b64decode(body["signature"])
    public_key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(key))
    public_key.verify(signature, SIGNING_PREFIX + message)  # raises InvalidSignature when it does not verify
    browser.wait_for("return document.getElementById('signer-count').textContent.startsWith('1 request')", what="the count")
    browser.js("document.getElementById('signer-toggle').click()")
    browser.wait_for("return document.getElementById('signer-state').dataset.state === 'idle'", what="the signer off")


def test_a_node_restart_is_ridden_out_by_reconnecting(browser, node):
    browser.open()
    key = ensure_key(browser)
    connect(browser, node.circles["ourworld"])
    play(browser, "1 + 1")
    assert browser.text("output") == "2"
    node.restart()
    browser.wait_for("return Number(document.getElementById('connection-state').dataset.reconnects) >= 1 &&"
                     "document.getElementById('connection-state').dataset.state === 'authenticated'",
                     timeout=60, what="the page to reconnect and authenticate again")
    play(browser, "`again as ${CALLER_PUBLIC_KEY}`")
    assert browser.text("output") == f"again as {key}"

    # A call made while the node is down waits for the new, re-authenticated connection.
    browser.run_async("""
        const { connect, loadKey } = await import("/client/circles.js");
        window.riding = await connect(`ws://${location.host}/${arguments[0]}`, { timeout: 60, reconnect: { initialDelay: 0.1, maxDelay: 1 } });
        await window.riding.authenticate(await loadKey());
        return true;""", node.circles["threefold"])
    node.stop()
    browser.wait_for("return window.riding.state === 'reconnecting'", what="the client to notice")
    browser.js("window.waiting = window.riding.play('`back as ${CALLER_PUBLIC_KEY}`').then((r) => r.output, (e) => `failed ${e.code} ${e.message}`)")
    node.start()
    assert browser.run_async("return await window.waiting") == f"back as {key}"
    assert browser.run_async("return (await window.riding.whoami()).authenticated") is True
    browser.js("window.riding.close()")


def test_over_plain_http_from_another_host_the_page_says_how_to_fix_it(browser, remote_node):
    browser.open(origin=f"http://insecure.circles.test:{remote_node.port}")
    assert browser.js("return window.isSecureContext") is False
    assert browser.attribute("insecure", "hidden") is None
    text = browser.text("insecure")
    assert "--tls" in text and "insecure.circles.test" in text
    assert browser.js("return document.getElementById('make-key').disabled") is True
    browser.screenshot("playground-insecure-context", 1366, 900)


def test_the_sample_application_uses_the_module_from_its_own_origin(browser, node, sample_site):
    browser.driver.get(f"{sample_site}/")
    browser.wait_for("return document.readyState === 'complete'")
    browser.js("document.getElementById('node').value = arguments[0]; document.getElementById('circle').value = arguments[1];"
               "document.getElementById('connect').click()", node.origin, node.circles["ourworld"])
    browser.wait_for("return document.getElementById('status').textContent.startsWith('Connected to')", what="the sample to connect")
    browser.js("document.getElementById('name').value = 'grace \"hopper\"'; document.querySelector('#greet button').click()")
    answer = browser.wait_for("return document.getElementById('answer').textContent", what="the answer")
    assert answer.startswith(f'Hello grace "hopper", from circle {node.circles["ourworld"]}')
    assert 'grace "hopper" says hello' in answer
    assert browser.console_errors() == []


def test_screenshots_at_desktop_and_phone_width(browser, node):
    browser.open()
    ensure_key(browser)
    connect(browser, node.circles["ourworld"])
    play(browser, 'fn greet(name) {\n  `hello, ${name}`\n}\nfor name in ["ada", "alan", "grace"] {\n  print(greet(name));\n}\n40 + 2')
    play(browser, "let total = 0;\nfor i in 0..3 {\n  total += i\n}}\ntotal")
    play(browser, 'fn greet(name) {\n  `hello, ${name}`\n}\nfor name in ["ada", "alan", "grace"] {\n  print(greet(name));\n}\n40 + 2')
    desktop = browser.screenshot("playground-desktop", 1366, 900)
    phone = browser.screenshot("playground-phone", 390, 844)
    play(browser, "let total = 0;\nfor i in 0..3 {\n  total += i\n}}\ntotal")
    browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    dark = browser.screenshot("playground-desktop-dark", 1366, 900)
    dark_phone = browser.screenshot("playground-phone-dark", 390, 844)
    browser.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    for path in (desktop, phone, dark, dark_phone):
        assert path.stat().st_size > 10_000
    # Nothing sticks out sideways at phone width.
    browser.driver.set_window_size(390, 844)
    assert browser.js("return document.documentElement.scrollWidth <= window.innerWidth")
