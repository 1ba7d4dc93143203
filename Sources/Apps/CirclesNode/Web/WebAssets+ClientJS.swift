extension WebAssets {
    /// `circles.js`: the browser client (SPEC 11.1), an ES module with no dependencies.
    static let clientJS = ##"""
// circles.js: the browser client of a circles node (SPEC sections 3.1, 4, 10 and 11.1).
// An ES module with no dependencies and no build step, served by every node at /client/circles.js
// and, never changing, at /client/v1/circles.js.
//
//   import { connect, generateKey, loadKey } from "/client/v1/circles.js";
//   const key = (await loadKey()) ?? (await generateKey());
//   const client = await connect("ws://127.0.0.1:8080/CIRCLE_PK", { timeout: 10, reconnect: true });
//   await client.authenticate(key);
//   const { output, logs } = await client.play("40 + 2");

export const VERSION = "1.0.0";

/** Error codes: JSON-RPC codes (numbers) from the node, strings for what the client itself detects. */
export const ErrorCode = Object.freeze({
  EXECUTION: -32000,
  AUTHENTICATION_REQUIRED: -32001,
  INVALID_CREDENTIALS: -32002,
  NONCE_EXPIRED: -32003,
  TOO_MANY_REQUESTS: -32004,
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL: -32603,
  TIMEOUT: "timeout",
  CONNECT_FAILED: "connect_failed",
  CONNECTION_CLOSED: "connection_closed",
  NOT_CONNECTED: "not_connected",
  CLOSED: "closed",
  INVALID_NONCE: "invalid_nonce",
  INVALID_RESPONSE: "invalid_response",
  INSECURE_CONTEXT: "insecure_context",
  UNSUPPORTED: "unsupported",
  KEY_STORE: "key_store",
});

/**
 * Every failure of this module. `code` is the JSON-RPC error code for errors the node answered with,
 * or one of the string codes of `ErrorCode`; execution errors (code -32000) also carry `kind`
 * ("parse", "runtime", "limit", "timeout", "denied"), `line` and `column` (1-based, or null).
 */
export class CirclesError extends Error {
  constructor(code, message, data = null) {
    super(message);
    this.name = "CirclesError";
    this.code = code;
    this.data = data;
    this.kind = null;
    this.line = null;
    this.column = null;
    if (code === ErrorCode.EXECUTION && data && typeof data === "object") {
      this.kind = typeof data.kind === "string" ? data.kind : null;
      this.line = Number.isInteger(data.line) ? data.line : null;
      this.column = Number.isInteger(data.column) ? data.column : null;
    }
  }

  /** Whether this is a script failure (with `kind`, `line`, `column`). */
  get isExecution() { return this.code === ErrorCode.EXECUTION; }

  static fromRPC(error) {
    if (!error || typeof error !== "object" || typeof error.code !== "number") {
      return new CirclesError(ErrorCode.INVALID_RESPONSE, "the node answered with a malformed error", error ?? null);
    }
    const detail = error.data && typeof error.data === "object" && typeof error.data.message === "string" ? error.data.message : null;
    const message = detail ? `${error.message}: ${detail}` : String(error.message ?? "error");
    return new CirclesError(error.code, message, error.data ?? null);
  }
}

// ---------------------------------------------------------------- bytes

const encoder = new TextEncoder();

/** Lowercase hex of bytes. */
export function toHex(bytes) {
  let out = "";
  for (const byte of new Uint8Array(bytes)) out += byte.toString(16).padStart(2, "0");
  return out;
}

function fromBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function toBase64(bytes) {
  let binary = "";
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

const NONCE = /^[0-9a-f]{64}$/;

/**
 * The bound form of SPEC 3.1: what a caller signs to authenticate to `circle` on the node at `host`
 * (as in the URL: name or address, with `:port` when not the scheme's default).
 */
export function boundMessage(host, circle, nonce) {
  return `circles-auth:v1\n${host}\n${circle}\n${nonce}`;
}

/**
 * What a signer signs for a request of the signing service (SPEC 10): the request's bytes behind a
 * prefix that no authentication message or registration starts with.
 */
export const SIGNING_PREFIX = "circles-sign:v1\n";

function concat(prefix, bytes) {
  const head = encoder.encode(prefix);
  const out = new Uint8Array(head.length + bytes.length);
  out.set(head, 0);
  out.set(bytes, head.length);
  return out;
}

export function signingMessage(message) {
  return concat(SIGNING_PREFIX, message);
}

/**
 * What a signer signs to prove its key to the signing service at `host` (its first request, the
 * challenge): `circles-register:v1\n` host `\n` key hex `\n` challenge hex.
 */
export function registrationMessage(host, publicKey, challenge) {
  return encoder.encode(`circles-register:v1\n${host}\n${publicKey}\n${toHex(challenge)}`);
}

// ---------------------------------------------------------------- keys

function subtle() {
  if (!globalThis.isSecureContext || !globalThis.crypto || !globalThis.crypto.subtle) {
    const where = globalThis.location ? globalThis.location.origin : "this page";
    throw new CirclesError(ErrorCode.INSECURE_CONTEXT,
      `${where} is not a secure context, so the browser offers no WebCrypto keys here. ` +
      "Open the page over https:// (start the node with --tls --cert FILE --key FILE) or from localhost.");
  }
  return globalThis.crypto.subtle;
}

/** Whether this browser can make and use Ed25519 keys here (a secure context with WebCrypto Ed25519). */
export async function isSupported() {
  try {
    await subtle().generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
    return true;
  } catch {
    return false;
  }
}

const DATABASE = "circles";
const STORE = "keys";

function request(idbRequest) {
  return new Promise((resolve, reject) => {
    idbRequest.onsuccess = () => resolve(idbRequest.result);
    idbRequest.onerror = () => reject(new CirclesError(ErrorCode.KEY_STORE, `IndexedDB: ${idbRequest.error?.message ?? "failed"}`));
  });
}

async function keyStore(mode, action) {
  if (!globalThis.indexedDB) throw new CirclesError(ErrorCode.KEY_STORE, "this browser has no IndexedDB to keep keys in");
  const open = indexedDB.open(DATABASE, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(STORE);
  const db = await request(open);
  try {
    const transaction = db.transaction(STORE, mode);
    const done = new Promise((resolve, reject) => {
      transaction.oncomplete = resolve;
      transaction.onabort = transaction.onerror = () =>
        reject(new CirclesError(ErrorCode.KEY_STORE, `IndexedDB: ${transaction.error?.message ?? "aborted"}`));
    });
    const result = await request(action(transaction.objectStore(STORE)));
    await done;
    return result;
  } finally {
    db.close();
  }
}

/**
 * A caller identity: an Ed25519 key pair made by WebCrypto. The private key is not extractable: no
 * script, this module included, can read it; it can only sign. `publicKey` is the caller's 64-hex id.
 */
export class CallerKey {
  #pair;
  constructor(pair, publicKey, name, created) {
    this.#pair = pair;
    this.publicKey = publicKey;
    this.name = name;
    this.created = created;
    this.type = "ed25519";
    Object.freeze(this);
  }

  /** The 64-byte Ed25519 signature of `bytes` (a Uint8Array, or a string signed as UTF-8). */
  async sign(bytes) {
    const data = typeof bytes === "string" ? encoder.encode(bytes) : new Uint8Array(bytes);
    return new Uint8Array(await subtle().sign({ name: "Ed25519" }, this.#pair.privateKey, data));
  }

  /** Whether `signature` is this key's signature of `bytes`. */
  async verify(signature, bytes) {
    const data = typeof bytes === "string" ? encoder.encode(bytes) : new Uint8Array(bytes);
    return subtle().verify({ name: "Ed25519" }, this.#pair.publicKey, new Uint8Array(signature), data);
  }
}

/**
 * Makes a new non-extractable Ed25519 key and keeps it in this origin's IndexedDB under `name`
 * (replacing a key kept there before), so `loadKey(name)` finds it after a reload.
 */
export async function generateKey({ name = "default", store = true } = {}) {
  let pair;
  try {
    pair = await subtle().generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
  } catch (error) {
    if (error instanceof CirclesError) throw error;
    throw new CirclesError(ErrorCode.UNSUPPORTED, `this browser cannot make Ed25519 keys: ${error?.message ?? error}`);
  }
  const publicKey = toHex(await subtle().exportKey("raw", pair.publicKey));
  const created = Date.now();
  if (store) {
    await keyStore("readwrite", (keys) => keys.put({ privateKey: pair.privateKey, publicKey: pair.publicKey, hex: publicKey, created }, name));
  }
  return new CallerKey(pair, publicKey, name, created);
}

/** The key kept under `name`, or null. */
export async function loadKey({ name = "default" } = {}) {
  const record = await keyStore("readonly", (keys) => keys.get(name));
  if (!record || !record.privateKey || typeof record.hex !== "string") return null;
  return new CallerKey({ privateKey: record.privateKey, publicKey: record.publicKey }, record.hex, name, record.created ?? null);
}

/** Deletes the key kept under `name`; the identity is gone for good. */
export async function forgetKey({ name = "default" } = {}) {
  await keyStore("readwrite", (keys) => keys.delete(name));
}

// ---------------------------------------------------------------- the client

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function webSocketURL(url, defaultPath = null) {
  let parsed;
  try {
    parsed = new URL(url, globalThis.location?.href);
  } catch {
    throw new CirclesError(ErrorCode.CONNECT_FAILED, `not a URL: ${url}`);
  }
  if (parsed.protocol === "http:") parsed.protocol = "ws:";
  if (parsed.protocol === "https:") parsed.protocol = "wss:";
  if (parsed.protocol !== "ws:" && parsed.protocol !== "wss:") {
    throw new CirclesError(ErrorCode.CONNECT_FAILED, `a node's URL is ws://, wss://, http:// or https://, not ${parsed.protocol}`);
  }
  if (defaultPath && (parsed.pathname === "/" || parsed.pathname === "")) parsed.pathname = defaultPath;
  parsed.hash = "";
  return parsed;
}

function reconnectPolicy(option) {
  if (!option) return null;
  const given = typeof option === "object" ? option : {};
  return {
    initialDelay: given.initialDelay ?? 0.2,
    maxDelay: given.maxDelay ?? 5,
    maxAttempts: given.maxAttempts ?? Infinity,
  };
}

function describeClose(event) {
  return event.reason ? `${event.code} ${event.reason}` : `${event.code}`;
}

/**
 * One WebSocket connection to a circle. Calls may run concurrently; replies are matched by id.
 * Events: "open", "close" (detail: {code, reason}), "reconnecting", "reconnected", "authenticated",
 * "notification" (a JSON-RPC message without an id).
 */
export class CirclesClient extends EventTarget {
  #ws = null;
  #state = "idle";
  #pending = new Map();
  #waiters = new Set();
  #nextId = 1;
  #key = null;
  #policy;
  #timeout;

  /** `url`: ws[s]://host[:port]/CIRCLE_PK. `timeout`: seconds per call; `reconnect`: true or {initialDelay, maxDelay, maxAttempts}. */
  constructor(url, { timeout = 30, reconnect = false } = {}) {
    super();
    const parsed = webSocketURL(url);
    const segments = parsed.pathname.split("/").filter((part) => part.length > 0);
    if (segments.length !== 1) throw new CirclesError(ErrorCode.CONNECT_FAILED, `the URL's path must be one circle's public key: ${url}`);
    this.url = parsed.href;
    this.host = parsed.host;
    this.circle = decodeURIComponent(segments[0]).toLowerCase();
    this.#timeout = timeout;
    this.#policy = reconnectPolicy(reconnect);
  }

  /** "idle", "connecting", "open", "reconnecting" or "closed". */
  get state() { return this.#state; }
  /** The caller's public key once authenticated, else null. */
  get publicKey() { return this.#key ? this.#key.publicKey : null; }
  get authenticated() { return this.#key !== null; }

  #emit(type, detail = null) { this.dispatchEvent(new CustomEvent(type, { detail })); }

  /** Opens the connection (called by `connect`). */
  async open() {
    if (this.#state === "closed") throw new CirclesError(ErrorCode.CLOSED, "the client was closed");
    if (this.#state !== "idle") return this.#ready(Date.now() + this.#timeout * 1000).then(() => undefined);
    this.#state = "connecting";
    try {
      this.#publish(await this.#dial(Date.now() + this.#timeout * 1000));
      this.#emit("open");
    } catch (error) {
      if (this.#state === "connecting") this.#settle("idle", error);
      throw error;
    }
  }

  #dial(deadline) {
    return new Promise((resolve, reject) => {
      let socket;
      try {
        socket = new WebSocket(this.url);
      } catch (error) {
        reject(new CirclesError(ErrorCode.CONNECT_FAILED, `could not connect to ${this.url}: ${error?.message ?? error}`));
        return;
      }
      let opened = false;
      const timer = setTimeout(() => {
        socket.close();
        reject(new CirclesError(ErrorCode.TIMEOUT, `no connection to ${this.url} within ${this.#timeout} s`));
      }, Math.max(0, deadline - Date.now()));
      socket.onopen = () => {
        opened = true;
        clearTimeout(timer);
        resolve(socket);
      };
      socket.onmessage = (event) => this.#receive(socket, event.data);
      socket.onerror = () => {};
      socket.onclose = (event) => {
        clearTimeout(timer);
        if (!opened) {
          reject(new CirclesError(ErrorCode.CONNECT_FAILED,
            `could not connect to ${this.url} (close ${describeClose(event)}): is the node up, the circle served there and this origin allowed?`,
            { code: event.code, reason: event.reason }));
        } else {
          this.#linkClosed(socket, event);
        }
      };
    });
  }

  #publish(socket) {
    this.#ws = socket;
    this.#state = "open";
    for (const waiter of this.#waiters) waiter.resolve(socket);
    this.#waiters.clear();
  }

  #settle(state, error) {
    this.#ws = null;
    this.#state = state;
    for (const waiter of this.#waiters) waiter.reject(error);
    this.#waiters.clear();
  }

  /** The open socket, waiting (until `deadline`) while connecting or reconnecting. */
  #ready(deadline) {
    if (this.#state === "open") return Promise.resolve(this.#ws);
    if (this.#state === "closed") return Promise.reject(new CirclesError(ErrorCode.CLOSED, "the client was closed"));
    if (this.#state === "idle") return Promise.reject(new CirclesError(ErrorCode.NOT_CONNECTED, "not connected; call open() or connect() first"));
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: (socket) => { clearTimeout(timer); resolve(socket); },
        reject: (error) => { clearTimeout(timer); reject(error); },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new CirclesError(ErrorCode.TIMEOUT, `no connection to ${this.url} within the call's timeout`));
      }, Math.max(0, deadline - Date.now()));
      this.#waiters.add(waiter);
    });
  }

  #send(socket, method, params, deadline) {
    const id = this.#nextId++;
    const wait = Math.max(0, deadline - Date.now());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new CirclesError(ErrorCode.TIMEOUT, `${method}: no answer within ${(wait / 1000).toFixed(1)} s`));
      }, wait);
      this.#pending.set(id, { resolve, reject, timer, socket });
      try {
        socket.send(JSON.stringify({ jsonrpc: "2.0", method, params, id }));
      } catch (error) {
        clearTimeout(timer);
        this.#pending.delete(id);
        reject(new CirclesError(ErrorCode.CONNECTION_CLOSED, `${method}: could not send: ${error?.message ?? error}`));
      }
    });
  }

  #receive(socket, data) {
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    for (const reply of Array.isArray(message) ? message : [message]) {
      if (!reply || typeof reply !== "object") continue;
      if (reply.id === undefined || reply.id === null) {
        if (reply.method) this.#emit("notification", reply);
        continue;
      }
      const call = this.#pending.get(reply.id);
      if (!call || call.socket !== socket) continue;
      this.#pending.delete(reply.id);
      clearTimeout(call.timer);
      if (reply.error !== undefined) call.reject(CirclesError.fromRPC(reply.error));
      else call.resolve(reply.result);
    }
  }

  #linkClosed(socket, event) {
    const error = new CirclesError(ErrorCode.CONNECTION_CLOSED, `the connection closed (${describeClose(event)}); the node may or may not have run the call`,
      { code: event.code, reason: event.reason });
    for (const [id, call] of this.#pending) {
      if (call.socket !== socket) continue;
      this.#pending.delete(id);
      clearTimeout(call.timer);
      call.reject(error);
    }
    if (socket !== this.#ws) return;
    this.#ws = null;
    this.#emit("close", { code: event.code, reason: event.reason });
    if (this.#state === "closed") return;
    // 1008: the node refused our credentials or our behaviour; trying again would be refused again.
    if (this.#policy && event.code !== 1008) {
      this.#state = "reconnecting";
      this.#reconnect();
    } else {
      this.#settle("idle", error);
    }
  }

  async #reconnect() {
    let delay = this.#policy.initialDelay;
    for (let attempt = 1; this.#state === "reconnecting"; attempt++) {
      this.#emit("reconnecting", { attempt });
      await sleep(delay * (0.5 + Math.random() / 2) * 1000);
      if (this.#state !== "reconnecting") return;
      let socket = null;
      try {
        socket = await this.#dial(Date.now() + this.#timeout * 1000);
        if (this.#key) await this.#authenticateOn(socket, this.#key, Date.now() + this.#timeout * 1000);
        if (this.#state !== "reconnecting") {
          socket.close(1000);
          return;
        }
        this.#publish(socket);
        this.#emit("reconnected", { attempt });
        return;
      } catch (error) {
        if (socket) socket.close(1000);
        const refused = error instanceof CirclesError && error.code === ErrorCode.INVALID_CREDENTIALS;
        if (refused || attempt >= this.#policy.maxAttempts) {
          if (this.#state === "reconnecting") this.#settle("idle", error);
          this.#emit("close", { code: 0, reason: `reconnecting failed: ${error.message}` });
          return;
        }
        delay = Math.min(delay * 2, this.#policy.maxDelay);
      }
    }
  }

  async #authenticateOn(socket, key, deadline) {
    if (!key || typeof key.publicKey !== "string" || typeof key.sign !== "function") {
      throw new CirclesError(ErrorCode.INVALID_PARAMS, "authenticate needs a key from generateKey() or loadKey()");
    }
    const pubkey = key.publicKey;
    const issued = await this.#send(socket, "fetch_nonce", { pubkey }, deadline);
    const nonce = issued && issued.nonce;
    if (typeof nonce !== "string" || !NONCE.test(nonce)) {
      throw new CirclesError(ErrorCode.INVALID_NONCE, "the node sent a nonce that is not 64 lowercase hex characters; refusing to sign it");
    }
    const signature = await key.sign(encoder.encode(boundMessage(this.host, this.circle, nonce)));
    return this.#send(socket, "authenticate", { pubkey, signature: toHex(signature) }, deadline);
  }

  /**
   * Proves to the node that this connection speaks for `key`: fetch_nonce, sign the bound form
   * (SPEC 3.1) for this host and circle, authenticate. With reconnect on, a new connection is
   * authenticated again with the same key before any call uses it.
   */
  async authenticate(key, { timeout = this.#timeout } = {}) {
    const deadline = Date.now() + timeout * 1000;
    const socket = await this.#ready(deadline);
    const result = await this.#authenticateOn(socket, key, deadline);
    this.#key = key;
    this.#emit("authenticated", { publicKey: key.publicKey });
    return result;
  }

  /** Any method of the node's API with named params; resolves with its result, rejects with a CirclesError. */
  async call(method, params = {}, { timeout = this.#timeout } = {}) {
    const deadline = Date.now() + timeout * 1000;
    const socket = await this.#ready(deadline);
    return this.#send(socket, method, params, deadline);
  }

  /** Runs `script` in the circle: `{output, logs}` (logs: the lines it printed). */
  async play(script, options = {}) {
    const result = await this.call("play", { script: String(script) }, options);
    return { output: result?.output ?? "", logs: Array.isArray(result?.logs) ? result.logs : [] };
  }

  /** `{circle, pubkey, authenticated}` as the node sees this connection. */
  async whoami(options = {}) { return this.call("whoami", {}, options); }

  /** The node's OpenRPC document. */
  async discover(options = {}) { return this.call("rpc.discover", {}, options); }

  /** Closes for good: calls in flight fail with code "closed", reconnecting stops. */
  close() {
    if (this.#state === "closed") return;
    const socket = this.#ws;
    const error = new CirclesError(ErrorCode.CLOSED, "the client was closed");
    this.#settle("closed", error);
    for (const [id, call] of this.#pending) {
      this.#pending.delete(id);
      clearTimeout(call.timer);
      call.reject(error);
    }
    if (socket) socket.close(1000, "bye");
    this.#emit("close", { code: 1000, reason: "closed by the client" });
  }
}

/** Connects to `url` (ws[s]://host[:port]/CIRCLE_PK); resolves once the connection is open. */
export async function connect(url, options = {}) {
  const client = new CirclesClient(url, options);
  await client.open();
  return client;
}

// ---------------------------------------------------------------- the signer

/**
 * Answers the signing service's requests (SPEC 10) with `key` on `/sign` of a node. Introduces the
 * key, answers the registration challenge, then signs every request, each under the signing prefix.
 * `approve(message, requestId)` may refuse a request (return false). Events: "registered",
 * "request" (detail: {requestId, message}), "error", "close". `state`: "connecting", "registered",
 * "reconnecting", "closed".
 */
export class Signer extends EventTarget {
  #key;
  #approve;
  #policy;
  #socket = null;
  #closed = false;
  #registered = null;
  #attempts = 0;
  #lastError = null;

  constructor(url, key, { reconnect = true, approve = null } = {}) {
    super();
    this.url = webSocketURL(url, "/sign").href;
    this.#key = key;
    this.#approve = approve;
    this.#policy = reconnectPolicy(reconnect);
    this.state = "connecting";
    this.signed = 0;
  }

  get publicKey() { return this.#key.publicKey; }

  #emit(type, detail = null) { this.dispatchEvent(new CustomEvent(type, { detail })); }

  /** Connects and resolves once the node registered the key. */
  start() {
    this.#registered = {};
    const registered = new Promise((resolve, reject) => Object.assign(this.#registered, { resolve, reject }));
    this.#open();
    return registered;
  }

  #open() {
    let socket;
    try {
      socket = new WebSocket(this.url);
    } catch (error) {
      this.#fail(new CirclesError(ErrorCode.CONNECT_FAILED, `could not connect to ${this.url}: ${error?.message ?? error}`));
      return;
    }
    this.#socket = socket;
    socket.onopen = () => socket.send(JSON.stringify({ type: "introduction", public_key: this.#key.publicKey }));
    socket.onerror = () => {};
    socket.onmessage = (event) => this.#receive(socket, event.data);
    socket.onclose = (event) => this.#dropped(socket, event);
  }

  async #receive(socket, data) {
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (message.type === "sign_request") {
      await this.#sign(socket, message);
    } else if (message.type === "registered") {
      this.state = "registered";
      this.#attempts = 0;
      this.#emit("registered", { publicKey: message.public_key });
      this.#registered?.resolve(this);
      this.#registered = null;
    } else if (message.type === "error") {
      const error = new CirclesError(message.code ?? "signing_error", message.message ?? "the signing service refused", message);
      this.#lastError = error;
      this.#emit("error", error);
    }
  }

  async #sign(socket, request) {
    if (typeof request.request_id !== "string" || typeof request.message !== "string") return;
    let bytes;
    try {
      bytes = fromBase64(request.message);
    } catch {
      return;
    }
    // The first request on a connection is the registration challenge, bound to this node; the others
    // are signed under the signing prefix. Neither can pass for the other or for an authentication.
    const registered = this.state === "registered";
    if (registered) {
      this.#emit("request", { requestId: request.request_id, message: bytes });
      if (this.#approve && !(await this.#approve(bytes, request.request_id))) return;
    }
    const signed = registered ? signingMessage(bytes) : registrationMessage(new URL(this.url).host, this.#key.publicKey, bytes);
    const signature = await this.#key.sign(signed);
    if (socket.readyState !== WebSocket.OPEN) return;
    socket.send(JSON.stringify({ type: "sign_response", request_id: request.request_id, message: request.message, signature: toBase64(signature) }));
    if (registered) this.signed += 1;
  }

  #fail(error) {
    this.state = "closed";
    this.#registered?.reject(error);
    this.#registered = null;
    this.#emit("close", { error });
  }

  async #dropped(socket, event) {
    if (socket !== this.#socket) return;
    this.#socket = null;
    const said = this.#lastError ? `: ${this.#lastError.code}: ${this.#lastError.message}` : "";
    this.#lastError = null;
    const error = new CirclesError(ErrorCode.CONNECTION_CLOSED, `the signing connection closed (${describeClose(event)})${said}`, { code: event.code, reason: event.reason });
    // 1008: the challenge failed; 4000: a newer signer for this key replaced us.
    if (this.#closed || !this.#policy || event.code === 1008 || event.code === 4000) {
      this.#fail(error);
      return;
    }
    this.#attempts += 1;
    if (this.#attempts > this.#policy.maxAttempts) {
      this.#fail(error);
      return;
    }
    this.state = "reconnecting";
    this.#emit("reconnecting", { attempt: this.#attempts, code: event.code, reason: event.reason });
    const delay = Math.min(this.#policy.initialDelay * 2 ** (this.#attempts - 1), this.#policy.maxDelay);
    await sleep(delay * (0.5 + Math.random() / 2) * 1000);
    if (this.#closed) return;
    this.state = "connecting";
    this.#open();
  }

  /** Stops answering and closes. */
  close() {
    this.#closed = true;
    this.state = "closed";
    const socket = this.#socket;
    this.#socket = null;
    if (socket) socket.close(1000, "bye");
    this.#registered?.reject(new CirclesError(ErrorCode.CLOSED, "the signer was closed"));
    this.#registered = null;
    this.#emit("close", {});
  }
}

/** Starts a signer for `key` on the node at `url` (its base URL or its /sign URL); resolves once registered. */
export async function startSigner(url, key, options = {}) {
  return new Signer(url, key, options).start();
}
"""##
}
