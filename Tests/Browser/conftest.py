"""Fixtures of the browser tests: a node launched from this checkout's `circles` binary, and headless
Chromium driven by Selenium. Run them with scripts/browser-test.sh."""

import base64
import functools
import http.server
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "out" / "screenshots"

# Records CSP violations in the page before any of its scripts run.
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, timeout=30, interval=0.05, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class Node:
    """`circles launch` of two circles on one port, with authentication on (bound form only); restartable on the same port."""

    def __init__(self, binary, directory, bind="127.0.0.1", allowed_origins=()):
        self.binary = binary
        self.allowed_origins = list(allowed_origins)
        self.directory = pathlib.Path(directory)
        self.port = free_port()
        (self.directory / "ourworld.rhai").write_text('print("ourworld is up"); "ok"\n')
        (self.directory / "threefold.rhai").write_text('"ok"\n')
        config = [
            # Only the bound form of SPEC 3.1 authenticates here: a signature over the bare nonce is refused.
            {"name": "ourworld", "port": self.port, "host": bind, "script_path": "ourworld.rhai", "require_bound_auth": True},
            {"name": "threefold", "port": self.port, "host": bind, "script_path": "threefold.rhai", "require_bound_auth": True},
        ]
        (self.directory / "circles.json").write_text(json.dumps(config))
        self.process = None
        self.log = open(self.directory / "node.log", "ab")
        self.start()
        health = self.health()
        self.circles = {circle["name"]: circle["public_key"] for circle in health["circles"]}

    @property
    def origin(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "launch", "--config", str(self.directory / "circles.json"), "--busy-poll", "0", "--workers", "2",
             "--shutdown-deadline", "2", "--max-in-flight-per-caller", "16", *self.origin_arguments()],
            cwd=self.directory, stdout=self.log, stderr=self.log, start_new_session=True)
        wait_until(self._up, timeout=60, what=f"the node on port {self.port}")

    def origin_arguments(self):
        """`--allowed-origin` for each allowed origin, on nodes that check origins."""
        help_text = subprocess.run([self.binary, "launch", "--help"], capture_output=True, text=True).stdout
        if "--allowed-origin" not in help_text:
            return []
        return [argument for origin in self.allowed_origins for argument in ("--allowed-origin", origin)]

    def _up(self):
        if self.process.poll() is not None:
            raise AssertionError(f"the node exited with {self.process.returncode}; see {self.directory / 'node.log'}")
        try:
            return self.health() is not None
        except OSError:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def restart(self):
        self.stop()
        self.start()

    def health(self):
        with urllib.request.urlopen(f"{self.origin}/health", timeout=5) as response:
            return json.loads(response.read())

    def get(self, path, headers=None):
        request = urllib.request.Request(f"{self.origin}{path}", headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def post_json(self, path, body, timeout=30):
        request = urllib.request.Request(f"{self.origin}{path}", data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")


def circles_binary():
    binary = os.environ.get("CIRCLES_BIN", str(ROOT / ".build" / "debug" / "circles"))
    if not os.access(binary, os.X_OK):
        pytest.fail(f"no circles binary at {binary}: build first (swift build) or set CIRCLES_BIN")
    return binary


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def sample_site():
    """samples/web served on its own origin (http://localhost:PORT), as a web application would be."""
    handler = functools.partial(QuietHandler, directory=str(ROOT / "samples" / "web"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def node(sample_site):
    directory = tempfile.mkdtemp(prefix="circles-browser-")
    node = Node(circles_binary(), directory, allowed_origins=[sample_site])
    yield node
    node.stop()
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def remote_node():
    """A node bound to every interface, as one reached from another machine is: a loopback node
    answers only to loopback names. The browser reaches it as insecure.circles.test (mapped to
    127.0.0.1), a plain-HTTP origin that is not a secure context."""
    directory = tempfile.mkdtemp(prefix="circles-browser-remote-")
    node = Node(circles_binary(), directory, bind="0.0.0.0")
    yield node
    node.stop()
    shutil.rmtree(directory, ignore_errors=True)


class Browser:
    def __init__(self, driver, node):
        self.driver = driver
        self.node = node

    def open(self, path="/", origin=None):
        self.driver.get(f"{origin or self.node.origin}{path}")
        wait_until(lambda: self.driver.execute_script("return document.body && document.body.dataset.ready === 'true'"),
                   what="the playground to start")

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def run_async(self, body, *args):
        """Runs an async function body in the page; returns its value or raises with the page's error."""
        result = self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            f"(async (...args) => {{ {body} }})(...Array.from(arguments).slice(0, -1))"
            ".then((value) => done({ ok: true, value }), (error) => done({ ok: false, error: String(error && error.stack || error) }));",
            *args)
        if not result["ok"]:
            raise AssertionError(f"in the page: {result['error']}")
        return result["value"]

    def text(self, element_id):
        return self.js("return document.getElementById(arguments[0]).textContent", element_id)

    def attribute(self, element_id, name):
        return self.js("return document.getElementById(arguments[0]).getAttribute(arguments[1])", element_id, name)

    def click(self, element_id):
        self.js("document.getElementById(arguments[0]).click()", element_id)

    def wait_for(self, script, *args, timeout=30, what=None):
        return wait_until(lambda: self.js(script, *args), timeout=timeout, what=what or script)

    def console_errors(self):
        return [entry for entry in self.driver.get_log("browser") if entry["level"] == "SEVERE"]

    def csp_violations(self):
        return self.js("return window.__cspViolations || []")

    def set_script(self, text):
        self.js("const area = document.getElementById('script'); area.value = arguments[0];"
                "area.dispatchEvent(new Event('input'));", text)

    def screenshot(self, name, width, height):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.driver.set_window_size(width, height)
        path = SCREENSHOTS / f"{name}.png"
        # The whole page, not only the viewport.
        metrics = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        full = metrics["cssContentSize"]
        shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": max(height, full["height"]), "scale": 1}})
        path.write_bytes(base64.b64decode(shot["data"]))
        return path


@pytest.fixture(scope="session")
def chrome():
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1366,900", "--host-resolver-rules=MAP insecure.circles.test 127.0.0.1"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_script_timeout(60)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_RECORDER})
    yield driver
    driver.quit()


@pytest.fixture
def browser(chrome, node):
    chrome.set_window_size(1366, 900)
    chrome.get_log("browser")
    return Browser(chrome, node)
